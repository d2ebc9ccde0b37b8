import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SCIM

/// The bearer tokens `/scim2` accepts: this server's own live access tokens.
enum SCIMBearer {
    static func token(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The token's record when it is a live access token; nil otherwise (unknown, expired,
    /// revoked, a refresh token).
    static func record(_ token: String, runtime: ServerRuntime) async throws -> OAuthTokenRecord? {
        guard let record = try await runtime.oauth.storage.tokens.get(id: OAuthContext.storageID(token)), record.kind == .access,
            !record.revoked, record.expiresAt > runtime.clock.now
        else { return nil }
        return record
    }
}

/// `/scim2/Me` (RFC 7644 §3.11): the person a `scim:me` token was issued for reads and
/// changes their own User — only the claims the dialect lets a person edit (as on the
/// server's own pages), not `active` (a person does not lock or unlock themselves), not
/// the password (a bearer token is no proof of knowing it: the login page's change
/// asks for the current one), not what the IdP owns (enhanced JIT), and never another
/// account. No POST (self-registration) and no DELETE. A locked account's token opens
/// nothing here.
extension SCIMRoutes {
    func addMeRoutes(to group: RouterGroup<Context>) {
        group.get("Me") { request, _ in
            let user = try await me(request)
            let (resource, etag) = representation(user)
            let query = try SCIMQuery(parameters: FormBody.query(request), schemas: schemas)
            var response = try SCIMHTTP.answer(query.project(resource, schemas: schemas), etag: etag)
            response.headers[.contentLocation] = base + "/Users/" + user.id
            return response
        }
        group.put("Me") { request, _ in
            var request = request
            let user = try await me(request)
            let input = try SCIMUserMapping(schemas: schemas).input(from: try await SCIMHTTP.body(&request))
            try checkSelfService(input, of: user)
            return try await replace(user.id, with: input, ifMatch: request.headers[.ifMatch]).response()
        }
        group.patch("Me") { request, _ in
            var request = request
            let user = try await me(request)
            let patch = try SCIMPatch(try await SCIMHTTP.body(&request))
            try checkVersion(request.headers[.ifMatch], of: user)
            let (resource, version) = representation(user)
            let input = try SCIMUserMapping(schemas: schemas).input(from: try patch.apply(to: resource, coreSchema: SCIMSchemaURN.user, extensions: schemas.extensionIDs))
            try checkSelfService(input, of: user)
            return try await replace(user.id, with: input, ifMatch: request.headers[.ifMatch], basedOn: version).response()
        }
    }

    /// The account the request's token was issued for.
    func me(_ request: Request) async throws -> User {
        guard let token = SCIMBearer.token(request), let record = try await SCIMBearer.record(token, runtime: runtime), let id = record.userID else {
            throw SCIMError(.scimUnauthorized, detail: "a person's bearer token is required")
        }
        let found = try await user(id)
        guard !found.locked else { throw SCIMError(.scimUnauthorized, detail: "the account is locked") }
        return found
    }

    func checkSelfService(_ input: SCIMUserMapping.Input, of user: User) throws {
        if let active = input.active, active == user.locked {
            throw SCIMError(.scimMutability, field: "active", detail: "a person cannot lock or unlock their own account")
        }
        if input.password != nil {
            throw SCIMError(.scimMutability, field: "password", detail: "change the password on the account page, which asks for the current one")
        }
        let dialect = runtime.settings.dialect
        for (claim, value) in input.claims where user.claims[claim] != value {
            guard dialect.definition(claim)?.userEditable == true else {
                throw SCIMError(.scimMutability, field: claim, detail: "a person cannot change this attribute of their own account")
            }
            if runtime.settings.enhancedJIT, user.federation != nil {
                throw SCIMError(.scimMutability, field: claim, detail: "this account's attributes come from its identity provider")
            }
        }
    }
}
