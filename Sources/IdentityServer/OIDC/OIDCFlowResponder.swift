import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// Ends OIDC flows at the client's redirect URI: a code and/or tokens on success, an
/// `error=` on a refusal the client must hear about (`login_required` for prompt=none
/// without a session, `access_denied` otherwise).
struct OIDCFlowResponder: InboundFlowResponder {
    static let protocolName = "oidc"
    let runtime: ServerRuntime

    func complete(_ result: AuthenticationResult) async throws -> Response {
        let auth = try JSONDecoder().decode(ValidatedAuthorization.self, from: result.inboundContext)
        guard let settings = result.serviceProvider.oidc else { throw OAuthError(.oauthUnknownClient, detail: "the client is gone") }
        let context = runtime.oauth
        let client = AuthenticatedClient(serviceProvider: result.serviceProvider, settings: settings, method: "authorize")
        let grant = TokenIssuer.Grant(
            client: client, user: result.user, subject: result.subject, scopes: auth.scopes, grantID: runtime.random.token(),
            authTime: result.authenticatedAt, nonce: auth.nonce, userIsTransient: result.userIsTransient)
        // Recorded first: if the session is gone this fails before any code or token exists.
        try await runtime.engine.recordParticipant(
            sessionID: result.sessionID,
            SessionParticipant(serviceProvider: result.serviceProvider.name, sessionIndex: result.sessionIndex, subject: result.subject, subjectFormat: nil))
        var parameters: [(String, String?)] = []
        var code: String?
        if auth.wantsCode {
            let value = runtime.random.token()
            let now = runtime.clock.now
            try await runtime.storage.authorizationCodes.create(
                AuthorizationCodeRecord(
                    id: OAuthContext.storageID(value), clientID: settings.clientID, userID: result.user.id, subject: result.subject,
                    redirectURI: auth.redirectURI, scopes: auth.scopes, nonce: auth.nonce, codeChallenge: auth.codeChallenge,
                    codeChallengeMethod: auth.codeChallengeMethod, authTime: result.authenticatedAt, sessionID: result.sessionID,
                    grantID: grant.grantID, issuedAt: now, expiresAt: now.addingTimeInterval(context.codeLifetime),
                    redirectURIGiven: auth.redirectURIGiven, transientUser: result.userIsTransient ? result.user : nil))
            parameters.append(("code", value))
            code = value
        }
        var accessToken: String?
        if auth.wantsAccessToken {
            let tokens = try await TokenIssuer(context: context).issue(grant, refresh: false, idToken: false)
            accessToken = tokens.access_token
            parameters += [("access_token", tokens.access_token), ("token_type", "Bearer"), ("expires_in", String(tokens.expires_in))]
        }
        if auth.wantsIDToken {
            parameters.append(("id_token", try await TokenIssuer(context: context).idToken(grant, user: result.user, accessToken: accessToken, code: code)))
        }
        parameters += [("state", auth.state), ("iss", context.issuer)]
        return OAuthResponses.redirect(to: auth.redirectURI, parameters, mode: auth.responseMode)
    }

    func fail(_ error: AuthError, context data: Data, serviceProvider: ServiceProvider) async throws -> Response {
        let auth = try JSONDecoder().decode(ValidatedAuthorization.self, from: data)
        // The catalogue's OAuth error (OIDC Core §3.1.2.6 for prompt=none) and public
        // message: the detail (tenant names, attempt counts) is for logs.
        let (oauthError, description) = (error.code.oauthError ?? "access_denied", error.code.message)
        let iss = serviceProvider.oidc?.issuerInErrorResponses == false ? nil : runtime.oauth.issuer
        return OAuthResponses.redirect(
            to: auth.redirectURI, [("error", oauthError), ("error_description", description), ("state", auth.state), ("iss", iss)],
            mode: auth.responseMode)
    }
}
