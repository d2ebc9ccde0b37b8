public import AsyncHTTPClient
import Foundation

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
    /// anything to this server; if not, such scenarios are skipped.
    var acceptsAdminSteps: Bool { get }
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
