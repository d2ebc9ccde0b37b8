import Crypto
import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import StrictYAML
import OIDC
import AuthFramework

/// The admin REST API (`/admin/v1`, HTTP Basic with the configured admin credentials).
///
/// Bodies are JSON (or YAML) decoded by the same strict decoder and validated by the same
/// validator as the YAML files, so a service provider created here is the same record a
/// file would produce (SP-4). Errors are JSON: `{"error": code, "field", "value", "detail"}`.
struct AdminRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        let group = router.group("admin/v1").add(middleware: AdminMiddleware<Context>(runtime: runtime))
        group.get("service-providers") { _, _ in try await json(runtime.storage.serviceProviders.list()) }
        group.post("service-providers") { request, _ in
            var request = request
            let (sp, issuedSecret) = try runtime.validator.prepare(try await decodeServiceProvider(&request), issueSecret: true, random: runtime.random)
            try await runtime.checkReferences(sp)
            try await runtime.storage.serviceProviders.create(sp)
            return try json(IssuedRecord(serviceProvider: sp, issuedClientSecret: issuedSecret), status: .created)
        }
        group.get("service-providers/:name") { _, context in
            try await json(runtime.storage.serviceProviders.get(name: context.parameters.decoded("name")))
        }
        group.put("service-providers/:name") { request, context in
            var request = request
            let name = try context.parameters.decoded("name")
            let (sp, _) = try runtime.validator.prepare(try await decodeServiceProvider(&request), issueSecret: false, random: runtime.random)
            // Consent receipts and sessions know an SP by its name: a rename through PUT
            // would carry them to what is, to a person, another application.
            guard sp.name == name else {
                throw IdentityError(
                    .spInvalidSettings, field: "name", value: sp.name,
                    detail: "the body names another service provider than the URL; create the new one and delete the old to rename")
            }
            try await runtime.checkReferences(sp)
            let previous = try await runtime.storage.serviceProviders.get(name: name)
            let stored = try await runtime.storage.serviceProviders.update(name: name) { old in
                var new = sp
                // A replacement without a secret keeps the current one, and only
                // regenerating the secret lifts a revocation (OA-6).
                if var oidc = new.oidc, let current = old.oidc, current.clientID == oidc.clientID {
                    oidc.clientSecretHash = oidc.clientSecretHash ?? current.clientSecretHash
                    oidc.revoked = current.revoked
                    new.oidc = oidc
                }
                return new
            }
            // A client ID that is gone takes its tokens with it.
            if let old = previous.oidc?.clientID, old != stored.oidc?.clientID {
                try await runtime.storage.tokens.revoke(clientID: old)
            }
            return try json(stored)
        }
        // OA-6: a new secret (for a client that has one) and the end of a revocation. A
        // private_key_jwt or public client has no secret; this only lifts its revocation.
        group.post("service-providers/:name/oidc/regenerate-secret") { _, context in
            let secret = ClientSecret.generate(runtime.random)
            let stored = try await runtime.storage.serviceProviders.update(name: try context.parameters.decoded("name")) { old in
                guard var oidc = old.oidc else {
                    throw IdentityError(.spInvalidSettings, field: "oidc", detail: "this application is not an OAuth client")
                }
                if oidc.tokenEndpointAuthMethod.usesSecret { oidc.clientSecretHash = ClientSecret.hash(secret) }
                oidc.revoked = false
                var new = old
                new.oidc = oidc
                return new
            }
            var answer = ["clientID": stored.oidc?.clientID ?? ""]
            if stored.oidc?.tokenEndpointAuthMethod.usesSecret == true { answer["clientSecret"] = secret }
            return try json(answer)
        }
        group.post("service-providers/:name/oidc/revoke") { _, context in
            let stored = try await runtime.storage.serviceProviders.update(name: try context.parameters.decoded("name")) { old in
                guard var oidc = old.oidc else {
                    throw IdentityError(.spInvalidSettings, field: "oidc", detail: "this application is not an OAuth client")
                }
                oidc.revoked = true
                var new = old
                new.oidc = oidc
                return new
            }
            let clientID = stored.oidc?.clientID ?? ""
            let revoked = try await runtime.storage.tokens.revoke(clientID: clientID)
            return try json(RevokedApp(clientID: clientID, revokedTokens: revoked))
        }
        group.get("oidc-scopes") { _, _ in try await json(runtime.storage.scopes.list()) }
        group.put("oidc-scopes/:name") { request, context in
            var request = request
            let name = try context.parameters.decoded("name")
            let body = try await Self.document(&request)
            let claims = try StrictYAML.decode(ScopeClaims.self, from: String(buffer: body), file: "request body").claims
            guard ManagementScope(rawValue: name) == nil else {
                throw IdentityError(.spInvalidSettings, field: "name", value: name, detail: "a management scope, not a claim scope: granted by oidc.managementScopes")
            }
            let scope = OIDCScope(name: name, claims: claims)
            try await runtime.storage.scopes.put(scope)
            return try json(scope)
        }
        group.delete("oidc-scopes/:name") { _, context in
            try await runtime.storage.scopes.delete(name: context.parameters.decoded("name"))
            return Response(status: .noContent)
        }
        // An SP's consent receipts and tokens go with it: a new SP created later under the
        // same name must ask again and cannot inherit access.
        group.delete("service-providers/:name") { _, context in
            let name = try context.parameters.decoded("name")
            let sp = try await runtime.storage.serviceProviders.get(name: name)
            try await runtime.storage.serviceProviders.delete(name: name)
            try await runtime.storage.consents.deleteAll(serviceProvider: name)
            if let clientID = sp.oidc?.clientID { try await runtime.storage.tokens.revoke(clientID: clientID) }
            return Response(status: .noContent)
        }
        addIdentityProviderRoutes(to: group)
        addProvisioningRoutes(to: group)
        addMetadataRoutes(to: group)
        // `?identityProvider=NAME`: only the accounts that IdP provisioned.
        group.get("users") { request, _ in
            let provisioner = try FormBody.query(request)["identityProvider"]
            return try await json(
                runtime.storage.users.list().filter { provisioner == nil || $0.federation?.identityProvider == provisioner }.map(UserView.init))
        }
        // Lock or unlock an account, or change its claims (JIT-7: not a JIT account's in
        // enhanced mode — its IdP owns them). Unlocking also lifts a lock that failed
        // password checks put on it (AU-7) and starts their count again.
        group.patch("users/:id") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            let body = try await Self.document(&request)
            let change = try StrictYAML.decode(UserChange.self, from: String(buffer: body), file: "request body") { change in
                for name in (change.claims ?? [:]).keys.sorted() where !runtime.settings.dialect.contains(LocalClaims.uri(name)) {
                    throw IdentityError(.userInvalidClaim, field: "claims.\(name)", detail: "no such local claim in the dialect")
                }
                if let roles = change.roles, let problem = UserChange.problem(with: roles) {
                    throw IdentityError(.userInvalidClaim, field: "roles", detail: problem)
                }
            }
            let user = try await runtime.storage.users.get(id: id)
            if change.claims != nil, runtime.settings.enhancedJIT, user.federation != nil {
                throw IdentityError(
                    .userReadOnly, field: "claims", value: user.federation?.identityProvider,
                    detail: "this account's attributes come from its identity provider and are re-synced at every login")
            }
            let updated = try await runtime.provisioner.around(id, username: user.username, source: "admin") {
                try await runtime.storage.users.update(id: id) { old in
                    var new = old
                    if let locked = change.locked {
                        new.locked = locked
                        if !locked { new.lockout = AccountLockout() }
                    }
                    for (name, value) in change.claims ?? [:] { new.claims[LocalClaims.uri(name)] = value.isEmpty ? nil : value }
                    if let roles = change.roles { new.roles = Array(Set(roles)).sorted() }
                    return new
                }
            }
            return try json(UserView(updated))
        }
        // AU-9: the username in its RFC 8265 form, unique in the tenant across stores; the
        // password by the policy (field-level errors).
        group.post("users") { request, _ in
            var request = request
            let body = try await Self.document(&request)
            let settings = runtime.settings
            let document = try StrictYAML.decode(UserDocument.self, from: String(buffer: body), file: "request body") { user in
                try user.validate(dialect: settings.dialect, userStores: settings.userStores, tenants: settings.tenants)
                if let password = user.password, let problem = settings.passwordPolicy.problem(with: password, username: user.username) {
                    throw IdentityError(.userInvalidPassword, field: "password", detail: problem)
                }
            }
            let user = document.user(id: runtime.random.uuid(), passwordHash: document.password.map(runtime.hasher.hash))
            try await runtime.provisioner.around(user.id, username: user.username, source: "admin") {
                try await runtime.storage.users.create(user)
            }
            return try json(UserView(user), status: .created)
        }
        // An admin sets a password the person must replace at their next login.
        group.post("users/:id/password") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            let body = try await Self.document(&request)
            let reset = try StrictYAML.decode(PasswordReset.self, from: String(buffer: body), file: "request body")
            let user = try await runtime.storage.users.get(id: id)
            if let problem = runtime.settings.passwordPolicy.problem(with: reset.password, username: user.username) {
                throw IdentityError(.userInvalidPassword, field: "password", detail: problem)
            }
            let hash = runtime.hasher.hash(reset.password)
            let updated = try await runtime.storage.users.update(id: id) { old in
                var new = old
                new.passwordHash = hash
                new.mustChangePassword = true
                new.lockout = AccountLockout()
                return new
            }
            return try json(UserView(updated))
        }
        group.delete("users/:id") { _, context in
            let id = try context.parameters.decoded("id")
            try await runtime.provisioner.around(id, username: nil, source: "admin") {
                try await runtime.storage.users.delete(id: id)
            }
            try await runtime.storage.consents.deleteAll(userID: id)
            try await runtime.storage.associations.deleteAll(userID: id)
            return Response(status: .noContent)
        }
        AssociationRoutes<Context>(runtime: runtime).addAdminRoutes(to: group)
        SessionRoutes<Context>(runtime: runtime).addAdminRoutes(to: group)
        group.get("consents") { _, _ in try await json(runtime.storage.consents.all()) }
        group.get("stats") { _, _ in
            try await json([
                "serviceProviders": runtime.storage.serviceProviders.list().count,
                "sessions": runtime.storage.sessions.count(),
                "flows": runtime.storage.flows.count(),
                "activeTokens": runtime.storage.tokens.countActive(),
            ])
        }
    }

    private func decodeServiceProvider(_ request: inout Request) async throws -> ServiceProvider {
        let body = try await Self.document(&request)
        let validator = runtime.validator
        return try StrictYAML.decode(ServiceProvider.self, from: String(buffer: body), file: "request body", userInfo: SectionRegistry.server.userInfo) { sp in
            try validator.validate(sp)
        }
    }
}

extension AdminRoutes {
    static var documentTypes: Set<String> { ["application/json", "application/yaml", "application/x-yaml", "text/yaml"] }

    /// The body of a create or replace, which must be declared JSON or YAML: a browser
    /// can send `text/plain` cross-site without a CORS preflight (with cached Basic
    /// credentials), these types it cannot, so the API cannot be driven by another site.
    static func document(_ request: inout Request, also accepted: Set<String> = []) async throws -> ByteBuffer {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let type, documentTypes.contains(type) else {
            throw RequestError(
                .requestUnsupportedMediaType, field: "Content-Type", value: request.headers[.contentType],
                detail: "send the document as " + (["application/json", "application/yaml"] + accepted.sorted()).joined(separator: ", "))
        }
        return try await FormBody.collect(&request, limit: StrictYAML.maximumDocumentBytes)
    }
}

/// A created service provider, with the client secret the server issued (shown once).
struct IssuedRecord: Encodable {
    let serviceProvider: ServiceProvider
    let issuedClientSecret: String?

    func encode(to encoder: any Encoder) throws {
        try serviceProvider.encode(to: encoder)
        if let issuedClientSecret {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(issuedClientSecret, forKey: .issuedClientSecret)
        }
    }

    enum Key: String, CodingKey { case issuedClientSecret }
}

struct RevokedApp: Encodable {
    let clientID: String
    let revokedTokens: Int
}

/// `PUT /admin/v1/oidc-scopes/{name}` body.
struct ScopeClaims: Decodable {
    let claims: [String]
}

/// A user as the API shows it: never the password hash.
struct UserView: Encodable {
    let id: String
    let tenant: String
    let userStore: String
    let username: String
    let claims: [String: String]
    let roles: [String]
    let locked: Bool
    /// JIT-6: the IdP person the account was provisioned from (absent for local accounts).
    let federation: FederatedAccount?
    /// MF-1: whether a TOTP secret is enrolled (never the secret); absent when not.
    let totpEnrolled: Bool?
    /// AU-7: until when failed password checks locked the account; absent when they did not.
    let lockedUntil: Date?
    /// An admin set the password; the person must choose their own at the next login.
    let mustChangePassword: Bool?

    init(_ user: User) {
        id = user.id
        tenant = user.tenant
        userStore = user.userStore
        username = user.username
        claims = user.claims
        roles = user.roles
        locked = user.locked
        federation = user.federation
        totpEnrolled = user.totpSecret == nil ? nil : true
        lockedUntil = user.lockout.lockedUntil
        mustChangePassword = user.mustChangePassword ? true : nil
    }
}

func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    try JSONAnswer.value(value, status: status)
}

/// Admin authentication and JSON errors for the admin API. Failed checks count against
/// the client's address like failed logins (AU-7).
struct AdminMiddleware<Context: RequestContext>: RouterMiddleware {
    let runtime: ServerRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            guard try Self.authenticated(request, context: context, runtime: runtime) else { return try Self.challenge() }
            return try await next(request, context)
        } catch let error as any CodedError {
            runtime.logRefusal(error, of: request)
            return try JSONAnswer.error(error)
        }
    }

    static func challenge() throws -> Response {
        try JSONAnswer.challenge(realm: "identity-server admin", detail: "admin credentials required")
    }

    /// Whether `request` carries the admin credentials (false: answer with a challenge).
    /// A request without credentials (a browser's first try) is only challenged; presented
    /// credentials count against the address when wrong (AU-7), and a throttled address or
    /// a server without admin credentials is refused. The admin API and SCIM share it.
    static func authenticated(_ request: Request, context: some RequestContext, runtime: ServerRuntime) throws -> Bool {
        guard let admin = runtime.settings.admin else {
            throw RequestError(.adminDisabled, detail: "the admin API and SCIM are off: set admin.username and admin.password in server.yaml")
        }
        guard request.basicCredentials != nil else { return false }
        let address = (context as? any ClientAddressRequestContext)?.clientAddress
        switch runtime.engine.limitedCheck(client: address, { admin.match(request) }) {
        case true?: return true
        case false?: return false
        case nil: throw RequestError(.requestThrottled, detail: "too many failed sign-ins from this address; try again later")
        }
    }
}

/// `POST /admin/v1/users/{id}/password` body.
struct PasswordReset: Decodable {
    let password: String

    enum CodingKeys: String, CodingKey, CaseIterable { case password }
}

/// `PATCH /admin/v1/users/{id}` body.
struct UserChange: Decodable {
    let locked: Bool?
    /// Claim short names or URIs → value; an empty value removes the claim.
    let claims: [String: String]?
    /// The account's roles, all of them (PR-2: a provisioning target sees them as Group
    /// membership).
    let roles: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case locked, claims, roles }

    /// Roles are also group names and ids (SCIM, outbound provisioning): not blank, no
    /// slash or control characters, not `.`, `..` or `.search` (path segments of
    /// `/scim2/Groups`), at most 256 characters; at most ``maximumRoles`` of them.
    static func problem(with roles: [String]) -> String? {
        guard roles.count <= maximumRoles else { return "at most \(maximumRoles) roles" }
        for role in roles {
            if role.trimmingCharacters(in: .whitespaces).isEmpty || role.count > 256 || role.contains("/")
                || [".", "..", ".search"].contains(role.lowercased())
                || role.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            {
                return "a role is 1 to 256 characters, without slash or control characters, and not . .. or .search"
            }
        }
        return nil
    }

    static let maximumRoles = 100
}
