import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SAML

/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's SSO
/// session and returns to `post_logout_redirect_uri` only when it is one of the client's
/// registered callbacks, matched as redirect URIs are (OA-1).
struct LogoutRoutes<Context: RequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        router.get("/oidc/logout") { request, _ in
            let parameters = Dictionary(
                URLEncoding.pairs(request.uri.query ?? "").map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            var target: String?
            if let uri = parameters["post_logout_redirect_uri"] {
                guard let clientID = parameters["client_id"],
                    let client = try await runtime.storage.serviceProviders.find(oidcClientID: clientID)?.oidc,
                    RedirectURIMatcher.matches(uri, registered: client.callbackURLs)
                else {
                    throw OAuthError(
                        .oauthRedirectURIMismatch, field: "post_logout_redirect_uri", value: uri,
                        detail: "the logout redirect URI is not registered for the client named by client_id")
                }
                target = uri
            }
            if let token = request.cookie(ServerCookie.session) {
                try await runtime.engine.endSession(token: token)
            }
            var response = target.map { OAuthResponses.redirect(to: $0, [("state", parameters["state"])], mode: "query") }
                ?? runtime.pages.message(page: "signed-out", title: "Signed out", message: "You are signed out.")
            response.setCookie(ServerCookie.make(ServerCookie.session, value: "", secure: runtime.baseURL.isHTTPS, maxAge: 0))
            return response
        }
    }
}
