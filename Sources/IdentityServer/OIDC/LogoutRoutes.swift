import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's SSO
/// session and returns to `post_logout_redirect_uri` only when it is one of the client's
/// registered callbacks, matched as redirect URIs are (OA-1). With a valid
/// `id_token_hint` the RP has shown it knows the user and logout is immediate; without one
/// the person confirms on a page, so a bare link from another site cannot sign them out.
/// The session's SAML service providers that take part in single logout are told first
/// (SA-10), through the browser, before it returns to the RP.
struct LogoutRoutes<Context: RequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        router.get("/oidc/logout") { request, _ in
            let parameters = try FormBody.query(request)
            let client = try await clientID(parameters)
            let target = try await redirectTarget(parameters, clientID: client)
            if try await hintIsValid(parameters["id_token_hint"], clientID: client) {
                return try await logOut(request, target: target, state: parameters["state"])
            }
            let (binding, isNew) = runtime.browserBinding(request)
            let fields = ["client_id", "post_logout_redirect_uri", "state"].compactMap { name in parameters[name].map { (name, $0) } }
            var response = runtime.pages.logoutConfirmation(
                client: client ?? "An application", csrfToken: FormToken(key: runtime.formKey).make(purpose: "logout", binding: binding),
                fields: fields)
            if isNew { response.setCookie(runtime.setting(.browser, to: binding)) }
            return response
        }
        router.post("/oidc/logout") { request, _ in
            var request = request
            let form = try await FormBody.read(&request)
            guard FormToken(key: runtime.formKey).verify(form["csrf"], purpose: "logout", binding: runtime.cookie(.browser, of: request)) else {
                throw AuthError(.authCSRFInvalid, field: "csrf", detail: "the logout form's CSRF token is missing or wrong")
            }
            let client = try await clientID(form.fields)
            return try await logOut(request, target: try await redirectTarget(form.fields, clientID: client), state: form["state"])
        }
    }

    /// The client named by `client_id` (or, failing that, by a hint's audience).
    private func clientID(_ parameters: [String: String]) async throws -> String? {
        if let id = parameters["client_id"] { return id }
        guard let hint = parameters["id_token_hint"], let (claims, _) = try? await runtime.signingKeys.verificationKeys().verify(hint, as: IDTokenClaims.self)
        else { return nil }
        return claims.aud.first
    }

    private func redirectTarget(_ parameters: [String: String], clientID: String?) async throws -> String? {
        guard let uri = parameters["post_logout_redirect_uri"] else { return nil }
        guard let clientID, let client = try await runtime.storage.serviceProviders.find(.oidcClientID(clientID))?.oidc,
            RedirectURIMatcher.matches(uri, registered: client.callbackURLs)
        else {
            throw OAuthError(
                .oauthRedirectURIMismatch, field: "post_logout_redirect_uri", value: uri,
                detail: "the logout redirect URI is not registered for the client")
        }
        return uri
    }

    /// An ID token this server issued to the client (expired is fine: it proves who
    /// the RP is, not that a session is live).
    private func hintIsValid(_ hint: String?, clientID: String?) async throws -> Bool {
        guard let hint, let (claims, _) = try? await runtime.signingKeys.verificationKeys().verify(hint, as: IDTokenClaims.self) else {
            return false
        }
        return claims.iss == runtime.baseURL.string && (clientID.map(claims.aud.contains) ?? true)
    }

    private func logOut(_ request: Request, target: String?, state: String?) async throws -> Response {
        try await SAMLSingleLogout(runtime: runtime).logOut(
            cookie: runtime.cookie(.session, of: request), returnTo: target.map { OAuthResponses.queryLocation($0, [("state", state)]) })
    }
}
