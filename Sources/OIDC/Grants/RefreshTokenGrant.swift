import Crypto
import Foundation
import IdentityCore

/// `refresh_token` (RFC 6749 §6) with rotation (RFC 9700 §4.14.2): each use returns a new
/// refresh token and retires the old one. Presenting a retired refresh token means two
/// parties hold it, so the whole family is revoked — unless it comes within the client's
/// reuse grace window after the rotation: then it is one client refreshing from several
/// threads at once, and it gets the same new pair (``ReuseGrace``).
struct RefreshTokenGrant: Grant {
    let type = "refresh_token"
    let allowsPublicClients = true

    struct Retired: Error {
        let rotated: Bool
        let rotatedAt: Date?
    }

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
        let now = context.clock.now
        do {
            try await context.storage.tokens.update(id: id) { old in
                guard !old.rotated, !old.revoked else { throw Retired(rotated: old.rotated, rotatedAt: old.rotatedAt) }
                var new = old
                new.rotated = true
                new.revoked = true
                new.rotatedAt = now
                return new
            }
        } catch let retired as Retired {
            // Decided on the value inside the compare-and-swap, so racing replays see it too.
            let grace = TimeInterval(client.settings.refreshTokenReuseGraceSeconds)
            if retired.rotated, let rotatedAt = retired.rotatedAt, grace > 0, now.timeIntervalSince(rotatedAt) <= grace {
                return try await ReuseGrace.response(to: token, id: id, context: context)
            }
            if retired.rotated {
                // Marked before the family is revoked, so a rotation still issuing its
                // tokens finds the mark afterwards and revokes them too (below).
                try await context.storage.tokens.update(id: id) { old in
                    var new = old
                    new.replayedAt = now
                    return new
                }
                try await context.storage.tokens.revoke(grantID: record.grantID)
            }
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
        let response = try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: user, subject: record.subject, scopes: scopes, grantID: record.grantID, authTime: record.authTime,
                nonce: nil, userIsTransient: record.transientUser != nil, sessionID: record.sessionID),
            refresh: true, idToken: true, refreshScopes: record.scopes)
        if client.settings.refreshTokenReuseGraceSeconds > 0 { try await ReuseGrace.keep(response, for: token, id: id, context: context) }
        // A replay that raced this rotation (on another instance, say) revoked the family
        // while these tokens were being made, and may have missed them: revoke again.
        if try await context.storage.tokens.get(id: id)?.replayedAt != nil {
            try await context.storage.tokens.revoke(grantID: record.grantID)
            throw OAuthError(.oauthInvalidGrant, field: "refresh_token", detail: "the refresh token was used twice at once; its token family is revoked")
        }
        return response
    }
}

/// The reuse grace window: the response a rotation gave, kept on the rotated refresh
/// token sealed (AES-GCM) under a key derived from that token, so a presentation of the
/// same token moments later gets the same new pair, and the database holds nothing a
/// reader could use.
enum ReuseGrace {
    static func key(_ token: String) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Array("identity-harness refresh reuse grace\u{0}\(token)".utf8)))
    }

    static func keep(_ response: TokenResponse, for token: String, id: String, context: OAuthContext) async throws {
        let sealed = try AES.GCM.seal(try JSONEncoder().encode(response), using: key(token)).combined
        try await context.storage.tokens.update(id: id) { old in
            var new = old
            new.sealedResponse = sealed
            return new
        }
    }

    /// The response of the rotation that retired `token`. A parallel presentation may
    /// arrive while that rotation is still issuing: it waits for it, briefly.
    static func response(to token: String, id: String, context: OAuthContext) async throws -> TokenResponse {
        for _ in 0..<100 {
            if let sealed = try await context.storage.tokens.get(id: id)?.sealedResponse,
                let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key(token))
            {
                return try JSONDecoder().decode(TokenResponse.self, from: plain)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw OAuthError(.oauthInvalidGrant, field: "refresh_token", detail: "the refresh token was just rotated and its answer is not available")
    }
}
