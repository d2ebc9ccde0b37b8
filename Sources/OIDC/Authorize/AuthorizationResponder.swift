public import Foundation
public import IdentityCore

/// What the authorization endpoint sends back to a client's redirect URI: the
/// parameters, and how they travel (`query`, `fragment` or `form_post`).
public struct AuthorizationResponse: Sendable {
    public var redirectURI: String
    public var mode: String
    /// In order; a nil value is left out.
    public var parameters: [(String, String?)]
}

/// Builds the authorization endpoint's answers, so the server only carries them: on
/// success the code (its record stored first) and the tokens the response type asks
/// for (RFC 6749 §4.1.2 and §4.2.2, OAuth 2.0 Multiple Response Types); on a refusal
/// the catalogue's `error` and public message (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6).
/// Both carry `state` and — unless the client opted out — `iss` (RFC 9207).
public struct AuthorizationResponder: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// The person signed in as `subject` for the validated request `authorization`.
    public func success(
        _ authorization: ValidatedAuthorization, client: AuthenticatedClient, user: User, subject: String, authTime: Date, sessionID: String,
        userIsTransient: Bool
    ) async throws -> AuthorizationResponse {
        let grant = TokenIssuer.Grant(
            client: client, user: user, subject: subject, scopes: authorization.scopes, grantID: context.random.token(), authTime: authTime,
            nonce: authorization.nonce, userIsTransient: userIsTransient, sessionID: sessionID)
        var parameters: [(String, String?)] = []
        var code: String?
        if authorization.wantsCode {
            let value = context.random.token()
            let now = context.clock.now
            try await context.storage.authorizationCodes.create(
                AuthorizationCodeRecord(
                    id: OAuthContext.storageID(value), clientID: client.settings.clientID, userID: user.id, subject: subject,
                    redirectURI: authorization.redirectURI, scopes: authorization.scopes, nonce: authorization.nonce,
                    codeChallenge: authorization.codeChallenge, codeChallengeMethod: authorization.codeChallengeMethod, authTime: authTime,
                    sessionID: sessionID, grantID: grant.grantID, issuedAt: now, expiresAt: now.addingTimeInterval(context.codeLifetime),
                    redirectURIGiven: authorization.redirectURIGiven, transientUser: userIsTransient ? user : nil))
            parameters.append(("code", value))
            code = value
        }
        var accessToken: String?
        if authorization.wantsAccessToken {
            let tokens = try await TokenIssuer(context: context).issue(grant, refresh: false, idToken: false)
            accessToken = tokens.access_token
            parameters += [("access_token", tokens.access_token), ("token_type", "Bearer"), ("expires_in", String(tokens.expires_in))]
        }
        if authorization.wantsIDToken {
            parameters.append(("id_token", try await TokenIssuer(context: context).idToken(grant, user: user, accessToken: accessToken, code: code)))
        }
        parameters += [("state", authorization.state), ("iss", context.issuer)]
        return AuthorizationResponse(redirectURI: authorization.redirectURI, mode: authorization.responseMode, parameters: parameters)
    }

    /// A refusal with `code` (its OAuth error, `access_denied` when it names none) sent to
    /// a redirect URI already trusted; `client` decides whether `iss` goes with it.
    public func failure(_ code: ErrorCode, redirectURI: String, state: String?, mode: String, client: OIDCSettings?) -> AuthorizationResponse {
        let iss = client?.issuerInErrorResponses == false ? nil : context.issuer
        return AuthorizationResponse(
            redirectURI: redirectURI, mode: mode,
            parameters: [("error", code.oauthError ?? "access_denied"), ("error_description", code.message), ("state", state), ("iss", iss)])
    }
}
