import Foundation
import IdentityCore

/// `authorization_code` (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.6).
///
/// The code is claimed by a compare-and-swap, so it works exactly once. A second use is
/// treated as a stolen code: every token issued from it is revoked (RFC 6749 §4.1.2,
/// OA-7) and the request is refused.
struct AuthorizationCodeGrant: Grant {
    let type = "authorization_code"
    let allowsPublicClients = true

    struct AlreadyUsed: Error { let marked: AuthorizationCodeRecord }

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let code = request["code"] else {
            throw OAuthError(.oauthInvalidRequest, field: "code", detail: "code is required")
        }
        let id = OAuthContext.storageID(code)
        guard let record = try await context.storage.authorizationCodes.get(id: id) else {
            throw OAuthError(.oauthInvalidGrant, field: "code", detail: "the code is unknown")
        }
        // Checked before the code is claimed, so another client cannot burn it.
        guard record.clientID == client.settings.clientID else {
            throw OAuthError(.oauthInvalidGrant, field: "code", detail: "the code was issued to another client")
        }
        do {
            try await context.storage.authorizationCodes.update(id: id) { old in
                var new = old
                guard !old.used else {
                    new.replayed = true
                    throw AlreadyUsed(marked: new)
                }
                new.used = true
                return new
            }
        } catch let used as AlreadyUsed {
            try await context.storage.authorizationCodes.update(id: id) { _ in used.marked }
            let revoked = try await context.storage.tokens.revoke(grantID: record.grantID)
            throw OAuthError(.oauthInvalidGrant, field: "code", detail: "the code was already used; \(revoked) tokens issued from it are revoked")
        }
        guard record.expiresAt > context.clock.now else {
            throw OAuthError(.oauthInvalidGrant, field: "code", detail: "the code has expired")
        }
        guard request["redirect_uri"] == record.redirectURI || (record.redirectURIGiven == false && request["redirect_uri"] == nil) else {
            throw OAuthError(.oauthInvalidGrant, field: "redirect_uri", value: request["redirect_uri"], detail: "redirect_uri differs from the authorization request's")
        }
        if let challenge = record.codeChallenge, let method = record.codeChallengeMethod {
            guard let verifier = request["code_verifier"] else {
                throw OAuthError(.oauthInvalidGrant, field: "code_verifier", detail: "code_verifier is required")
            }
            guard PKCE.verify(verifier: verifier, challenge: challenge, method: method) else {
                throw OAuthError(.oauthInvalidGrant, field: "code_verifier", detail: "code_verifier does not match the code challenge")
            }
        } else if request["code_verifier"] != nil {
            // A verifier for a code issued without a challenge: a downgrade attempt.
            throw OAuthError(.oauthInvalidGrant, field: "code_verifier", detail: "the code was issued without a code challenge")
        }
        let user = try await context.user(id: record.userID, transient: record.transientUser)
        guard !user.locked else { throw OAuthError(.oauthInvalidGrant, detail: "the user's account is locked") }
        let response = try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: user, subject: record.subject, scopes: record.scopes, grantID: record.grantID,
                authTime: record.authTime, nonce: record.nonce, userIsTransient: record.transientUser != nil, sessionID: record.sessionID),
            refresh: true, idToken: true)
        // A replay that raced this exchange marked the code while these tokens were being
        // made: the revocation it did may have missed them, so revoke again.
        if try await context.storage.authorizationCodes.get(id: id)?.replayed == true {
            try await context.storage.tokens.revoke(grantID: record.grantID)
            throw OAuthError(.oauthInvalidGrant, field: "code", detail: "the code was used twice at once; its tokens are revoked")
        }
        return response
    }
}
