import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// Ends OIDC flows at the client's redirect URI: a code and/or tokens on success, an
/// `error=` on a refusal the client must hear about (`login_required` for prompt=none
/// without a session, `access_denied` otherwise).
struct OIDCFlowResponder: InboundFlowResponder {
    let runtime: ServerRuntime

    func complete(_ result: AuthenticationResult, context authorization: ValidatedAuthorization) async throws -> Response {
        guard let settings = result.serviceProvider.oidc else { throw OAuthError(.oauthUnknownClient, detail: "the client is gone") }
        // Recorded first: if the session is gone this fails before any code or token exists.
        try await runtime.engine.recordParticipant(
            sessionID: result.sessionID,
            SessionParticipant(serviceProvider: result.serviceProvider.name, sessionIndex: result.sessionIndex, subject: result.subject, subjectFormat: nil))
        let response = try await AuthorizationResponder(context: runtime.oauth).success(
            authorization, client: AuthenticatedClient(serviceProvider: result.serviceProvider, settings: settings, method: "authorize"),
            user: result.user, subject: result.subject, authTime: result.authenticatedAt, sessionID: result.sessionID,
            userIsTransient: result.userIsTransient)
        return OAuthResponses.redirect(response)
    }

    func fail(_ error: AuthError, context authorization: ValidatedAuthorization, serviceProvider: ServiceProvider) async throws -> Response {
        return OAuthResponses.redirect(
            AuthorizationResponder(context: runtime.oauth).failure(
                error.code, redirectURI: authorization.redirectURI, state: authorization.state, mode: authorization.responseMode,
                client: serviceProvider.oidc))
    }
}
