import Foundation
import IdentityCore

/// The userinfo endpoint (OIDC Core §5.3): a live user access token with `openid` gets
/// `sub` and the claims of its scopes (CL-8).
public struct UserInfoEndpoint: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// `authorization` is the request's Authorization header (`Bearer <token>`).
    public func respond(authorization: String?) async throws -> [String: ClaimValue] {
        guard let header = authorization, header.lowercased().hasPrefix("bearer ") else {
            throw OAuthError(.oauthInvalidToken, detail: "a Bearer access token is required")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let record = try await context.storage.tokens.get(id: OAuthContext.storageID(token)), record.kind == .access,
            !record.revoked, record.expiresAt > context.clock.now
        else {
            throw OAuthError(.oauthInvalidToken, detail: "the access token is invalid, expired or revoked")
        }
        guard let userID = record.userID, record.scopes.contains("openid"), let subject = record.subject else {
            throw OAuthError(.oauthInvalidToken, detail: "the access token was not issued for a user with the openid scope")
        }
        let user = try await context.user(id: userID, transient: record.transientUser)
        guard !user.locked else { throw OAuthError(.oauthInvalidToken, detail: "the user's account is locked") }
        guard let sp = try await context.storage.serviceProviders.find(.oidcClientID(record.clientID)) else {
            throw OAuthError(.oauthInvalidToken, detail: "the client of this token no longer exists")
        }
        guard TenantPolicy.admits(user, to: sp) else {
            throw OAuthError(.oauthInvalidToken, detail: "users of the user's tenant may no longer use this client")
        }
        var claims = try await context.claims(user, sp, record.scopes)
        claims["sub"] = .string(subject)
        return claims
    }
}
