import IdentityCore

/// Token exchange (RFC 8693) between registered clients: a client trades an access token
/// it holds for one addressed to another registered client (`audience`, its client ID) —
/// a front end calling a back-end service on the person's behalf — or for an ID token
/// about the person for that client.
///
/// What this server decides where RFC 8693 leaves it to policy:
/// - the subject token is an access token this server issued, live, to the client asking
///   (never another client's token, so a leaked token cannot be laundered), for a person
///   (an application's own client_credentials token names nobody to act for);
/// - an ID token is not taken as a subject token: its `sub` is the subject one application
///   receives (CL-5), which does not name the account back;
/// - the audience must be one the client is registered to exchange to
///   (`tokenExchangeAudiences`): the target application agreed, through its admin;
/// - an ID token only for the asking client itself: one for another client would be a
///   login to that client that its own flow (nonce, consent) never saw;
/// - the new token's scopes are at most the subject token's (`scope` may narrow them), it
///   belongs to the subject token's grant and session (revoking or logging out reaches it)
///   and ends no later than the subject token;
/// - impersonation only: `actor_token` (delegation, §1.1) is refused;
/// - the new access token belongs to the audience client (introspection there shows it
///   active, with that client's lifetime), and carries no refresh token.
struct TokenExchangeGrant: Grant {
    let type = "urn:ietf:params:oauth:grant-type:token-exchange"
    let name = "token-exchange"
    let allowsPublicClients = false

    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"
    static let idTokenType = "urn:ietf:params:oauth:token-type:id_token"

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let subjectToken = request["subject_token"], let subjectType = request["subject_token_type"] else {
            throw OAuthError(.oauthInvalidRequest, field: "subject_token", detail: "subject_token and subject_token_type are required")
        }
        guard request["actor_token"] == nil, request["actor_token_type"] == nil else {
            throw OAuthError(.oauthInvalidRequest, field: "actor_token", detail: "delegation (actor_token) is not supported; only impersonation")
        }
        guard subjectType == Self.accessTokenType else {
            throw OAuthError(
                .oauthInvalidRequest, field: "subject_token_type", value: subjectType, detail: "only an access token issued here is exchanged")
        }
        let requested = request["requested_token_type"] ?? Self.accessTokenType
        guard requested == Self.accessTokenType || requested == Self.idTokenType else {
            throw OAuthError(.oauthInvalidRequest, field: "requested_token_type", value: requested, detail: "an access token or an ID token")
        }
        if request["resource"] != nil {
            throw OAuthError(.oauthInvalidTarget, field: "resource", detail: "name the target client by its client ID in audience")
        }

        let now = context.clock.now
        guard let record = try await context.storage.tokens.get(id: OAuthContext.storageID(subjectToken)), record.kind == .access,
            !record.revoked, record.expiresAt > now, record.clientID == client.settings.clientID
        else {
            throw OAuthError(.oauthSubjectTokenInvalid, field: "subject_token", detail: "not a live access token issued to this client")
        }
        guard let userID = record.userID else {
            throw OAuthError(.oauthSubjectTokenInvalid, field: "subject_token", detail: "an application's own token names no person to act for")
        }
        let user = try await context.user(id: userID, transient: record.transientUser)
        guard !user.locked else {
            throw OAuthError(.oauthSubjectTokenInvalid, field: "subject_token", detail: "the person's account is locked")
        }

        let target = try await Self.target(request["audience"], default: client, context: context)
        let scopes: [String]
        if let asked = request["scope"] {
            let narrowed = asked.split(separator: " ").map(String.init)
            guard narrowed.allSatisfy(record.scopes.contains) else {
                throw OAuthError(.oauthInvalidScope, field: "scope", value: asked, detail: "wider than the subject token's scopes")
            }
            scopes = record.scopes.filter(narrowed.contains)
        } else {
            scopes = record.scopes
        }
        guard TenantPolicy.admits(user, to: target.serviceProvider) else {
            throw OAuthError(.oauthInvalidTarget, field: "audience", detail: "the person may not use the target application (another tenant)")
        }
        let grant = TokenIssuer.Grant(
            client: target, user: user, subject: try await context.subject(user, target.serviceProvider), scopes: scopes,
            grantID: record.grantID, authTime: record.authTime, nonce: nil, userIsTransient: record.transientUser != nil,
            sessionID: record.sessionID, notAfter: record.expiresAt)
        let issuer = TokenIssuer(context: context)
        if requested == Self.idTokenType {
            guard target.settings.clientID == client.settings.clientID else {
                throw OAuthError(.oauthInvalidTarget, field: "audience", detail: "an ID token is issued only for the client asking")
            }
            guard scopes.contains("openid") else {
                throw OAuthError(.oauthInvalidScope, field: "scope", detail: "an ID token needs the openid scope")
            }
            // RFC 8693 §2.2.1: a token that is not an access token is returned in
            // access_token, with token_type N_A.
            let idToken = try await issuer.idToken(grant, user: user, accessToken: nil, code: nil)
            return TokenResponse(
                access_token: idToken, token_type: "N_A", expires_in: target.settings.idTokenLifetime, scope: scopes.joined(separator: " "),
                issued_token_type: Self.idTokenType)
        }
        var response = try await issuer.issue(grant, refresh: false, idToken: false)
        response.issued_token_type = Self.accessTokenType
        return response
    }

    /// The client the new token is for: the `audience` (a registered, unrevoked OIDC
    /// client ID), or the asking client itself.
    static func target(_ audience: String?, default client: AuthenticatedClient, context: OAuthContext) async throws -> AuthenticatedClient {
        guard let audience, audience != client.settings.clientID else { return client }
        guard client.settings.tokenExchangeAudiences.contains(audience),
            let sp = try await context.storage.serviceProviders.find(.oidcClientID(audience)), let settings = sp.oidc, !settings.revoked
        else {
            throw OAuthError(.oauthInvalidTarget, field: "audience", value: audience, detail: "not a registered client this client may exchange to")
        }
        return AuthenticatedClient(serviceProvider: sp, settings: settings, method: "token-exchange")
    }
}
