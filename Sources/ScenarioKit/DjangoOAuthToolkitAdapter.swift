public import AsyncHTTPClient
import Foundation
import IdentityCore
import OIDC

/// Configures django-oauth-toolkit, an OpenID Provider on Django, for the suite
/// (`adapter: django-oauth-toolkit`): the worked example of an adapter for an OpenID
/// Provider we did not write.
///
/// The toolkit is managed through Django's admin site or code, not a REST API. The lab
/// (`Targets/django-oauth-toolkit/`, started by its `serve.sh`) applies one JSON file,
/// `harness-state.json` in `adapterSettings.directory`, to the toolkit's own tables before
/// each request (`lab/harness_lab/state.py`): applications through the toolkit's
/// `Application` model (so secrets are hashed and checked as in any deployment), users
/// through Django's. This adapter only rewrites that file.
///
/// Registrations come in the reference server's shape and mean WSO2 semantics; each is
/// translated to the toolkit's setting that means the same, where one exists:
///
/// | registration (`oidc.`) | django-oauth-toolkit |
/// | --- | --- |
/// | `clientID`, `clientSecret` | `Application.client_id`, `client_secret` |
/// | `tokenEndpointAuthMethod: none` | `client_type: public` (else `confidential`; basic and post both accepted) |
/// | `grantTypes` | `authorization_grant_type`: one per application (code, else client_credentials, else password) |
/// | `callbackURLs` | `redirect_uris` (exact URLs; it has no `regexp=` form) |
/// | `idTokenSigningAlgorithm: RS256` | `algorithm: RS256` (it has no PS256 or ES256) |
/// | `pkceMandatory`, a public client | `PKCE_REQUIRED`, a callable asked per client |
/// | `claims.skipConsent` | `skip_authorization` |
/// | `claims.mappings` (requested) | the claims the lab's validator offers that client, by OIDC name (`address.locality`) |
///
/// What has no equivalent — extra audiences, lifetimes per client, `pkceAllowPlain: false`,
/// revoking an application — is left to the toolkit's behaviour, and where that differs
/// from BEHAVIOR the target's expected-failures file says so. A setting it cannot hold at
/// all (a regexp callback, ES256, private_key_jwt) fails the registration, naming it.
public struct DjangoOAuthToolkitAdapter: TargetAdapter {
    /// `applications` (client ID → application) and `users` (username → password, claims).
    let state: LabStateFile

    public init(file: TargetFile) throws {
        state = try LabStateFile(
            target: file, adapter: "django-oauth-toolkit", sections: ["applications", "users"], serveScript: "Targets/django-oauth-toolkit/serve.sh")
    }

    public var acceptsAdminSteps: Bool { false }

    public func register(_ registration: JSONValue, identityProvider: Bool, on target: any RunningTarget, client: HTTPClient) async throws {
        guard !identityProvider else {
            throw ScenarioError.setup("the django-oauth-toolkit adapter configures OAuth clients only, not federated identity providers")
        }
        let (clientID, application) = try Self.application(for: registration)
        try state.add(Self.stamped(application), key: clientID, to: "applications", what: "django-oauth-toolkit's application \(clientID)")
    }

    public func addUser(_ user: JSONValue, on target: any RunningTarget, client: HTTPClient) async throws {
        guard let username = user["username"]?.stringValue, let password = user["password"]?.stringValue else {
            throw ScenarioError.setup("a user needs a username and a password")
        }
        let claims = Self.oidcClaims(user["claims"])
        try state.add(
            Self.stamped(.object(["password": .string(password), "email": claims["email"] ?? .string(""), "claims": .object(claims)])),
            key: username, to: "users", what: "django-oauth-toolkit's user \(username)")
    }

    public func inventory(of target: any RunningTarget, client: HTTPClient) async throws -> TargetInventory {
        TargetInventory(serviceProviders: try state.keys("applications"), users: try state.keys("users"))
    }

    /// The lab deletes what left the file with its grants and tokens (the toolkit's
    /// cascades). Since it looks at the file only when a request comes, the next scenario
    /// may add the same client again before it has seen the removal: each entry carries a
    /// fresh `stamp`, so a re-added one differs from the old and is made anew, and nothing
    /// issued in one scenario outlives it.
    public func removeAdded(since before: TargetInventory, on target: any RunningTarget, client: HTTPClient) async throws {
        try state.keepOnly(["applications": before.serviceProviders, "users": before.users])
    }

    /// The toolkit's state is not read back (the reference layer is not compared against it).
    public func finalState(of target: any RunningTarget, tokens: Bool, client: HTTPClient) async throws -> [String: JSONValue] {
        [:]
    }

    /// An entry with a stamp of its own (see ``removeAdded(since:on:client:)``).
    static func stamped(_ entry: JSONValue) -> JSONValue {
        guard case .object(var members) = entry else { return entry }
        members["stamp"] = .string(UUID().uuidString)
        return .object(members)
    }

    /// The client ID and the lab's application entry for a registration (see the table above).
    static func application(for registration: JSONValue) throws -> (String, JSONValue) {
        guard let oidc = registration["oidc"], let clientID = oidc["clientID"]?.stringValue else {
            throw ScenarioError.setup("the django-oauth-toolkit adapter registers OAuth clients (oidc.clientID), not \(registration["name"]?.stringValue ?? "this party")")
        }
        let method = oidc["tokenEndpointAuthMethod"]?.stringValue ?? ClientAuthenticationMethod.clientSecretBasic.rawValue
        guard [ClientAuthenticationMethod.clientSecretBasic, .clientSecretPost, .none].map(\.rawValue).contains(method) else {
            throw ScenarioError.setup("django-oauth-toolkit authenticates clients by secret or not at all; it has no \(method)")
        }
        let grants = (oidc["grantTypes"]?.arrayValue?.compactMap(\.stringValue)) ?? OIDCSettings.defaultGrantTypes.map(\.rawValue)
        // The toolkit allows one grant per application (refresh_token goes with any).
        let grant: String
        if grants.contains(GrantType.authorizationCode.rawValue) {
            grant = "authorization-code"
        } else if grants.contains(GrantType.clientCredentials.rawValue) {
            grant = "client-credentials"
        } else if grants.contains(GrantType.password.rawValue) {
            grant = "password"
        } else {
            throw ScenarioError.setup("django-oauth-toolkit has no application for grant types \(grants.joined(separator: ", "))")
        }
        let callbacks = (oidc["callbackURLs"]?.arrayValue ?? []).compactMap(\.stringValue)
        if let pattern = callbacks.first(where: { $0.hasPrefix("regexp=") }) {
            throw ScenarioError.setup("django-oauth-toolkit matches redirect URIs exactly; it has no \(pattern)")
        }
        let algorithm = oidc["idTokenSigningAlgorithm"]?.stringValue ?? IDTokenSigningAlgorithm.rs256.rawValue
        guard algorithm == IDTokenSigningAlgorithm.rs256.rawValue else {
            throw ScenarioError.setup("django-oauth-toolkit signs ID tokens with RS256 (or HS256); it has no \(algorithm)")
        }
        let isPublic = method == ClientAuthenticationMethod.none.rawValue
        var released = Set<String>()
        for mapping in registration["claims"]?["mappings"]?.arrayValue ?? [] where mapping["requested"] != .bool(false) {
            guard let local = mapping["local"]?.stringValue, let name = Self.oidcName[LocalClaims.uri(local)] else { continue }
            released.insert(name)
        }
        let application: [String: JSONValue] = [
            "name": .string(registration["name"]?.stringValue ?? clientID),
            "client_type": .string(isPublic ? "public" : "confidential"),
            "client_secret": .string(oidc["clientSecret"]?.stringValue ?? ""),
            "grant_type": .string(grant),
            "redirect_uris": .array(callbacks.map(JSONValue.string)),
            "algorithm": .string(algorithm),
            "skip_authorization": .bool(registration["claims"]?["skipConsent"] == .bool(true)),
            "pkce_required": .bool(isPublic || oidc["pkceMandatory"] == .bool(true)),
            "claims": .array(released.sorted().map(JSONValue.string)),
        ]
        return (clientID, .object(application))
    }

    /// Local claim URI → its OpenID Connect name, as the reference server's scope table
    /// names them; address members as `address.<member>` (the lab releases `address`
    /// with only the members a client may have, as the reference server does).
    static let oidcName: [String: String] = Dictionary(
        ClaimResolver.standardMappings.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })

    /// A user's claims (local names or URIs) under their OpenID Connect names, the
    /// address members folded into one object (OpenID Connect Core §5.1.1).
    static func oidcClaims(_ claims: JSONValue?) -> [String: JSONValue] {
        guard case .object(let local)? = claims else { return [:] }
        let member = Dictionary(uniqueKeysWithValues: ClaimResolver.standardMappings.filter { $0.key.hasPrefix("address.") }.map {
            ($0.value, String($0.key.dropFirst("address.".count)))
        })
        var result = [String: JSONValue]()
        var address = [String: JSONValue]()
        for (name, value) in local {
            let uri = LocalClaims.uri(name)
            if let part = member[uri] {
                address[part] = value
            } else if let oidc = oidcName[uri], !oidc.hasPrefix("address.") {
                result[oidc] = value
            }
        }
        if !address.isEmpty { result["address"] = .object(address) }
        return result
    }
}
