import Foundation
import IdentityCore

/// `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4–3.5): the client polls
/// until the person approved on another device; polling faster than the interval slows
/// the client down, and an approval is redeemed once.
struct DeviceCodeGrant: Grant {
    let type = "urn:ietf:params:oauth:grant-type:device_code"
    let name = "device_code"
    let allowsPublicClients = true

    struct Answer: Error { let error: OAuthError }

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let deviceCode = request["device_code"] else {
            throw OAuthError(.oauthInvalidRequest, field: "device_code", detail: "device_code is required")
        }
        let id = OAuthContext.storageID(deviceCode)
        guard let record = try await context.storage.deviceAuthorizations.get(id: id), record.clientID == client.settings.clientID else {
            throw OAuthError(.oauthInvalidGrant, field: "device_code", detail: "the device code is unknown")
        }
        let now = context.clock.now
        let redeemed: DeviceAuthorizationRecord
        do {
            redeemed = try await context.storage.deviceAuthorizations.update(id: id) { old in
                var new = old
                new.lastPolledAt = now
                if old.expiresAt <= now { throw Answer(error: OAuthError(.oauthExpiredToken, detail: "the device code has expired")) }
                switch old.status {
                case .denied: throw Answer(error: OAuthError(.oauthAccessDenied, detail: "the person denied the request"))
                case .consumed: throw Answer(error: OAuthError(.oauthInvalidGrant, detail: "the device code was already redeemed"))
                case .pending:
                    if let last = old.lastPolledAt, now.timeIntervalSince(last) < TimeInterval(old.interval) {
                        new.interval = old.interval + 5
                        return new
                    }
                    return new
                case .approved:
                    new.status = .consumed
                    return new
                }
            }
        } catch let answer as Answer {
            throw answer.error
        }
        switch redeemed.status {
        case .consumed: break
        default:
            if redeemed.interval > record.interval {
                throw OAuthError(.oauthSlowDown, detail: "poll every \(redeemed.interval) seconds")
            }
            throw OAuthError(.oauthAuthorizationPending, detail: "the person has not approved the request yet")
        }
        guard let userID = redeemed.userID else { throw OAuthError(.oauthInvalidGrant, detail: "no user approved the device") }
        let user = try await context.storage.users.get(id: userID)
        guard !user.locked else { throw OAuthError(.oauthInvalidGrant, detail: "the user's account is locked") }
        return try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: user, subject: redeemed.subject, scopes: redeemed.scopes, grantID: context.random.token(),
                authTime: redeemed.authTime, nonce: nil),
            refresh: true, idToken: true)
    }
}
