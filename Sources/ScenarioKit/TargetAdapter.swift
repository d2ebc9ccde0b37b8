public import AsyncHTTPClient
import Foundation
import IdentityCore

/// How a scenario's configuration reaches a server, and how its state is read back: the
/// seam between the protocol-level suite and one server's management API. Registrations
/// and users come in the reference server's admin-API shape (what the profiles and user
/// files hold); an adapter for another server translates them to that server's API and
/// its state back into the vector's `server` section.
public protocol TargetAdapter: Sendable {
    /// Registers a service provider / relying party, or (`identityProvider`) a federated IdP.
    func register(_ registration: JSONValue, identityProvider: Bool, on target: any RunningTarget, client: HTTPClient) async throws
    func addUser(_ user: JSONValue, on target: any RunningTarget, client: HTTPClient) async throws
    /// The vector's `server` section after the steps: users, session and flow counts,
    /// consent receipts, token counts (`tokens`: only when OAuth is in play).
    func finalState(of target: any RunningTarget, tokens: Bool, client: HTTPClient) async throws -> [String: JSONValue]
    /// Whether scenarios' `admin:` steps (raw calls to the reference admin API) mean
    /// anything to this server; if not, such scenarios are not applicable there
    /// (they need `reference-admin-api`).
    var acceptsAdminSteps: Bool { get }

    /// What is configured at the server now. Against a server that is not reset between
    /// scenarios, the runner takes this before a scenario and removes what was added
    /// after it, so the next one can register the same parties and users.
    func inventory(of target: any RunningTarget, client: HTTPClient) async throws -> TargetInventory
    /// Removes what is configured now and was not in `before`.
    func removeAdded(since before: TargetInventory, on target: any RunningTarget, client: HTTPClient) async throws
}

extension TargetAdapter {
    /// An adapter that cannot list and remove what a scenario configured serves only
    /// servers reset between scenarios.
    public func inventory(of target: any RunningTarget, client: HTTPClient) async throws -> TargetInventory {
        throw ScenarioError.setup("this adapter cannot remove what a scenario configures: use a target that is reset between scenarios")
    }

    public func removeAdded(since before: TargetInventory, on target: any RunningTarget, client: HTTPClient) async throws {
        throw ScenarioError.setup("this adapter cannot remove what a scenario configures: use a target that is reset between scenarios")
    }
}

/// Names of what a server has configured: service providers, identity providers and user
/// accounts (by the adapter's own key for each), and server-wide tables a scenario may
/// change, by name, as the adapter reads them (the reference server's OIDC scope table).
public struct TargetInventory: Sendable, Equatable {
    public var serviceProviders: Set<String>
    public var identityProviders: Set<String>
    public var users: Set<String>
    public var tables: [String: JSONValue]

    public init(
        serviceProviders: Set<String> = [], identityProviders: Set<String> = [], users: Set<String> = [], tables: [String: JSONValue] = [:]
    ) {
        self.serviceProviders = serviceProviders
        self.identityProviders = identityProviders
        self.users = users
        self.tables = tables
    }
}

/// The reference server's admin REST API (`/admin/v1`): the first adapter, and the one
/// every target of this repository uses.
public struct ReferenceAdminAPI: TargetAdapter {
    public init() {}

    public var acceptsAdminSteps: Bool { true }

    public func register(_ registration: JSONValue, identityProvider: Bool, on target: any RunningTarget, client: HTTPClient) async throws {
        _ = try await AdminClient(client: client, target: target).require(
            "POST", identityProvider ? "/admin/v1/identity-providers" : "/admin/v1/service-providers", json: registration.compact,
            what: "registering \(registration["name"]?.stringValue ?? "a party")")
    }

    public func addUser(_ user: JSONValue, on target: any RunningTarget, client: HTTPClient) async throws {
        _ = try await AdminClient(client: client, target: target).require(
            "POST", "/admin/v1/users", json: user.compact, what: "adding user \(user["username"]?.stringValue ?? "")")
    }

    public func inventory(of target: any RunningTarget, client: HTTPClient) async throws -> TargetInventory {
        let admin = AdminClient(client: client, target: target)
        func names(_ path: String, key: String) async throws -> Set<String> {
            let list = try await admin.require("GET", path, what: "listing \(path)")?.arrayValue ?? []
            return Set(list.compactMap { $0[key]?.stringValue })
        }
        return TargetInventory(
            serviceProviders: try await names("/admin/v1/service-providers", key: "name"),
            identityProviders: try await names("/admin/v1/identity-providers", key: "name"),
            users: try await names("/admin/v1/users", key: "id"),
            tables: ["oidc-scopes": try await admin.require("GET", "/admin/v1/oidc-scopes", what: "listing the scope table") ?? .null])
    }

    /// Applications first (their sequences name identity providers), then identity
    /// providers, then accounts (JIT-provisioned ones included).
    /// Every removal is tried; the first that fails is reported after the rest. One already
    /// gone (an account removed with its identity provider) is fine.
    public func removeAdded(since before: TargetInventory, on target: any RunningTarget, client: HTTPClient) async throws {
        let now = try await inventory(of: target, client: client)
        let admin = AdminClient(client: client, target: target)
        var scopes = [String: JSONValue]()
        for scope in before.tables["oidc-scopes"]?.arrayValue ?? [] {
            if let name = scope["name"]?.stringValue { scopes[name] = scope }
        }
        let scopesChanged = (before.tables["oidc-scopes"] ?? .null) != (now.tables["oidc-scopes"] ?? .null)
        let addedScopes = scopesChanged ? (now.tables["oidc-scopes"]?.arrayValue ?? []).compactMap(\.["name"]?.stringValue).filter { scopes[$0] == nil } : []
        let paths = addedScopes.map { "/admin/v1/oidc-scopes/" + URLEncoding.encode($0) }
            + now.serviceProviders.subtracting(before.serviceProviders).sorted().map { "/admin/v1/service-providers/" + URLEncoding.encode($0) }
            + now.identityProviders.subtracting(before.identityProviders).sorted().map { "/admin/v1/identity-providers/" + URLEncoding.encode($0) }
            + now.users.subtracting(before.users).sorted().map { "/admin/v1/users/" + URLEncoding.encode($0) }
        var failure: (any Error)?
        for path in paths {
            do {
                let reply = try await admin.send("DELETE", path)
                if !(200..<300).contains(reply.status) && reply.status != 404 {
                    throw ScenarioError.setup("removing what the scenario configured: DELETE \(path) answered \(reply.status) \(reply.body?.compact ?? "")")
                }
            } catch {
                failure = failure ?? error
            }
        }
        // The scope table as it was (a scenario may have changed a standard scope).
        if scopesChanged {
            for (name, scope) in scopes.sorted(by: { $0.key < $1.key }) {
                do {
                    _ = try await admin.require(
                        "PUT", "/admin/v1/oidc-scopes/" + URLEncoding.encode(name), json: JSONValue.object(["claims": scope["claims"] ?? .array([])]).compact,
                        what: "restoring scope \(name)")
                } catch {
                    failure = failure ?? error
                }
            }
        }
        if let failure { throw failure }
    }

    public func finalState(of target: any RunningTarget, tokens: Bool, client: HTTPClient) async throws -> [String: JSONValue] {
        let admin = AdminClient(client: client, target: target)
        let users = try await admin.require("GET", "/admin/v1/users", what: "reading users") ?? .null
        let stats = try await admin.require("GET", "/admin/v1/stats", what: "reading server state") ?? .null
        var state: [String: JSONValue] = ["users": users, "sessions": stats["sessions"] ?? .null, "flows": stats["flows"] ?? .null]
        // Consent receipts (CL-4) only when there are any, so vectors without consent stay as they were.
        if let consents = try await admin.require("GET", "/admin/v1/consents", what: "reading consents"), consents != .array([]) {
            state["consents"] = consents
        }
        // Token counts only where OAuth is in play, so SAML vectors stay as they were.
        if tokens { state["activeTokens"] = stats["activeTokens"] ?? .null }
        return state
    }
}
