import Foundation
import IdentityCore

/// `refresh_token` (RFC 6749 §6) with rotation (RFC 9700 §4.14.2): each use returns a new
/// refresh token and retires the old one. Presenting a retired refresh token means two
/// parties hold it, so the whole family is revoked.
struct RefreshTokenGrant: Grant {
    let type = "refresh_token"
    let allowsPublicClients = true

    struct Retired: Error { let rotated: Bool }

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let token = request["refresh_token"] else {
            throw OAuthError(.oauthInvalidRequest, field: "refresh_token", detail: "refresh_token is required")
        }
        let id = OAuthContext.storageID(token)
        guard let record = try await context.storage.tokens.get(id: id), record.kind == .refresh else {
            throw OAuthError(.oauthInvalidGrant, field: "refresh_token", detail: "the refresh token is unknown")
        }
        guard record.clientID == client.settings.clientID else {
            throw OAuthError(.oauthInvalidGrant, field: "refresh_token", detail: "the refresh token was issued to another client")
        }
        do {
            try await context.storage.tokens.update(id: id) { old in
                guard !old.rotated, !old.revoked else { throw Retired(rotated: old.rotated) }
                var new = old
                new.rotated = true
                new.revoked = true
                return new
            }
        } catch let retired as Retired {
            // Decided on the value inside the compare-and-swap, so racing replays see it too.
            if retired.rotated { try await context.storage.tokens.revoke(grantID: record.grantID) }
            throw OAuthError(
                .oauthInvalidGrant, field: "refresh_token",
                detail: retired.rotated ? "the refresh token was already used; its token family is revoked" : "the refresh token is revoked")
        }
        guard record.expiresAt > context.clock.now else {
            throw OAuthError(.oauthInvalidGrant, field: "refresh_token", detail: "the refresh token has expired")
        }
        var scopes = record.scopes
        if let requested = request["scope"] {
            let narrowed = requested.split(separator: " ").map(String.init)
            guard narrowed.allSatisfy(record.scopes.contains) else {
                throw OAuthError(.oauthInvalidScope, field: "scope", value: requested, detail: "a refresh may not widen the scope")
            }
            scopes = narrowed
        }
        guard let userID = record.userID else { throw OAuthError(.oauthInvalidGrant, detail: "the refresh token has no user") }
        let user = try await context.user(id: userID, transient: record.transientUser)
        guard !user.locked else { throw OAuthError(.oauthInvalidGrant, detail: "the user's account is locked") }
        guard TenantPolicy.admits(user, to: client.serviceProvider) else {
            throw OAuthError(.oauthInvalidGrant, detail: "users of the user's tenant may no longer use this client")
        }
        // RFC 6749 §6: the new refresh token keeps the original scope; only the access
        // token is narrowed.
        return try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: user, subject: record.subject, scopes: scopes, grantID: record.grantID, authTime: record.authTime,
                nonce: nil, userIsTransient: record.transientUser != nil),
            refresh: true, idToken: true, refreshScopes: record.scopes)
    }
}
