import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SCIM

/// Who may call `/scim2`, and SCIM-shaped errors (RFC 7644 §3.12) for everything refused
/// there. Two ways in: the admin credentials (HTTP Basic), as WSO2's admin SCIM API takes a
/// privileged account; or a bearer access token of this server — an application's
/// (client_credentials) with `scim:read` to read or `scim:write` to change, or a person's
/// with `scim:me` for their own `/Me`. A client gets these only when its record lists
/// them (`oidc.managementScopes`).
struct SCIMAuthentication<Context: RequestContext>: RouterMiddleware {
    let runtime: ServerRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let path = request.uri.path
            let me = path == "/scim2/Me" || path.hasPrefix("/scim2/Me/")
            if let token = SCIMBearer.token(request) {
                guard let record = try await SCIMBearer.record(token, runtime: runtime) else { return try Self.challenge(bearer: true) }
                let scopes = Set(record.scopes)
                let needed: ManagementScope
                if me {
                    needed = .scimMe
                } else if request.method == .get || request.method == .head || path.hasSuffix("/.search") {
                    needed = scopes.contains(ManagementScope.scimWrite.rawValue) ? .scimWrite : .scimRead
                } else {
                    needed = .scimWrite
                }
                let discovery = ["/scim2/ServiceProviderConfig", "/scim2/ResourceTypes", "/scim2/Schemas"].contains { path.hasPrefix($0) }
                // Only scopes the token's client still lists count, however the token got
                // them (a refresh, an exchange, a list changed since).
                let listed = try await runtime.storage.serviceProviders.find(.oidcClientID(record.clientID))?.oidc?.managementScopes ?? []
                let held = scopes.intersection(listed)
                let allowed = discovery
                    ? !held.isEmpty
                    : held.contains(needed.rawValue) && (needed.needsPerson == (record.userID != nil))
                guard allowed else {
                    var response = try Self.error(SCIMError(.scimForbidden, value: needed.rawValue, detail: "the token lacks the \(needed.rawValue) scope"))
                    response.headers[.wwwAuthenticate] = "Bearer error=\"insufficient_scope\", scope=\"\(needed.rawValue)\""
                    return response
                }
                return try await next(request, context)
            }
            // /Me is a person's: admin credentials name no account.
            guard !me, try AdminMiddleware<Context>.authenticated(request, context: context, runtime: runtime) else {
                return try Self.challenge(bearer: me)
            }
            return try await next(request, context)
        } catch let error as any CodedError {
            runtime.logRefusal(error, of: request)
            return try Self.error(error)
        }
    }

    static func challenge(bearer: Bool = false) throws -> Response {
        var response = try error(SCIMError(.scimUnauthorized, detail: bearer ? "a live bearer access token is required" : "admin credentials (HTTP Basic) or a bearer token required"))
        response.headers[.wwwAuthenticate] = bearer ? "Bearer realm=\"identity-server SCIM\"" : "Basic realm=\"identity-server SCIM\", Bearer realm=\"identity-server SCIM\""
        return response
    }

    /// RFC 7644 §3.12: `{"schemas": [Error], "status": "400", "scimType": …, "detail": …}`.
    static func error(_ error: any CodedError) throws -> Response {
        try SCIMHTTP.answer(errorBody(error), status: HTTPResponse.Status(code: error.code.status))
    }

    static func errorBody(_ error: any CodedError) -> SCIMValue {
        var members: [(String, SCIMValue)] = [
            ("schemas", .array([.string(SCIMSchemaURN.error)])), ("status", .string(String(error.code.status))),
        ]
        if let type = error.code.scimType { members.append(("scimType", .string(type))) }
        // The code itself, so a client (and a scenario) knows which check refused; the
        // detail only of SCIM's own refusals (the server's own failures keep theirs in the log).
        let detail = error is SCIMError ? error.detail : error.code.message
        members.append(("detail", .string("\(error.code.rawValue): \(detail)")))
        return .object(members)
    }
}
