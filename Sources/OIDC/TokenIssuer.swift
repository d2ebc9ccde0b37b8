public import Foundation
public import IdentityCore

/// Mints access tokens, refresh tokens and ID tokens, and stores the hash of each token.
///
/// Access and refresh tokens are opaque random strings: a resource server learns what one
/// means by introspection (RFC 7662), so nothing about a user travels inside them.
public struct TokenIssuer: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// What a set of tokens is for.
    public struct Grant: Sendable {
        public var client: AuthenticatedClient
        public var user: User?
        public var subject: String?
        public var scopes: [String]
        public var grantID: String
        public var authTime: Date?
        public var nonce: String?
        /// `user` has no account (a federated person, JIT mode `none`): it travels with the tokens.
        public var userIsTransient: Bool
        /// The SSO session the tokens come from: its end revokes them, and ID tokens name
        /// it by `sid`. Nil for tokens without a browser session (password, device, client).
        public var sessionID: String?
        /// No token outlives this (a token exchange's tokens end with the token they came from).
        public var notAfter: Date?

        public init(
            client: AuthenticatedClient, user: User?, subject: String?, scopes: [String], grantID: String, authTime: Date?, nonce: String?,
            userIsTransient: Bool = false, sessionID: String? = nil, notAfter: Date? = nil
        ) {
            self.notAfter = notAfter
            self.client = client
            self.user = user
            self.subject = subject
            self.scopes = scopes
            self.grantID = grantID
            self.authTime = authTime
            self.nonce = nonce
            self.userIsTransient = userIsTransient
            self.sessionID = sessionID
        }
    }

    /// Tokens for `grant`: an access token always; a refresh token when the client may use
    /// the refresh_token grant and a user is involved; an ID token when `openid` was granted.
    public func issue(_ grant: Grant, refresh: Bool, idToken: Bool, refreshScopes: [String]? = nil) async throws -> TokenResponse {
        let settings = grant.client.settings
        var lifetime = grant.user == nil ? settings.applicationAccessTokenLifetime : settings.userAccessTokenLifetime
        if let notAfter = grant.notAfter { lifetime = max(0, min(lifetime, Int(notAfter.timeIntervalSince(context.clock.now)))) }
        let accessToken = try await store(.access, grant, lifetime: lifetime)
        var response = TokenResponse(
            access_token: accessToken, token_type: "Bearer", expires_in: lifetime,
            scope: grant.scopes.isEmpty ? nil : grant.scopes.joined(separator: " "))
        if refresh && grant.user != nil && settings.grantTypes.contains(.refreshToken) {
            var refreshGrant = grant
            refreshGrant.scopes = refreshScopes ?? grant.scopes
            response.refresh_token = try await store(.refresh, refreshGrant, lifetime: settings.refreshTokenLifetime)
        }
        if idToken, grant.scopes.contains("openid"), let user = grant.user {
            response.id_token = try await self.idToken(grant, user: user, accessToken: accessToken, code: nil)
        }
        return response
    }

    func store(_ kind: OAuthTokenRecord.Kind, _ grant: Grant, lifetime: Int) async throws -> String {
        let token = context.random.token()
        let now = context.clock.now
        try await context.storage.tokens.create(
            OAuthTokenRecord(
                id: OAuthContext.storageID(token), kind: kind, clientID: grant.client.settings.clientID, userID: grant.user?.id,
                subject: grant.subject, scopes: grant.scopes, grantID: grant.grantID, issuedAt: now,
                expiresAt: now.addingTimeInterval(TimeInterval(lifetime)), authTime: grant.authTime,
                transientUser: grant.userIsTransient ? grant.user : nil, sessionID: grant.sessionID))
        return token
    }

    /// An ID token: audiences are the client and the SP's extra audiences (OA-5), with
    /// `azp` when there is more than one; `at_hash`/`c_hash` bind it to what came with it.
    public func idToken(_ grant: Grant, user: User, accessToken: String?, code: String?) async throws -> String {
        let settings = grant.client.settings
        let now = context.clock.now
        let audiences = [settings.clientID] + settings.audiences.filter { $0 != settings.clientID }
        let subject = if let given = grant.subject { given } else { try await context.subject(user, grant.client.serviceProvider) }
        let claims = IDTokenClaims(
            iss: context.issuer, sub: subject, aud: audiences,
            exp: now.addingTimeInterval(TimeInterval(settings.idTokenLifetime)), iat: now, authTime: grant.authTime,
            nonce: grant.nonce, azp: audiences.count > 1 ? settings.clientID : nil, atHash: accessToken.map(TokenHash.leftHalf),
            cHash: code.map(TokenHash.leftHalf), sid: grant.sessionID.flatMap(context.sessionIdentifier),
            claims: try await context.claims(user, grant.client.serviceProvider, grant.scopes))
        return try await context.keys.sign(claims, algorithm: settings.idTokenSigningAlgorithm.rawValue)
    }
}
