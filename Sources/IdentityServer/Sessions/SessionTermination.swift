import AuthFramework
import Connectors
import Foundation
import IdentityCore
import OIDC

/// What ending an SSO session does besides deleting it (SA-10): the tokens issued from it
/// are revoked, so an RP's refresh token dies with the session; every OIDC RP of it with
/// a back-channel logout URI is sent a logout token (Back-Channel Logout 1.0), server to
/// server; and the front-channel logout URLs of the others (Front-Channel Logout 1.0) are
/// handed back for the browser to load. SAML participants are the caller's: they are
/// told through the browser.
struct SessionTermination: Sendable {
    let runtime: ServerRuntime

    struct Outcome: Sendable {
        /// RPs whose back channel confirmed the logout.
        var told: [String] = []
        /// RPs whose back channel did not confirm the logout.
        var failed: [String] = []
        /// Front-channel logout URLs, `iss` and `sid` added.
        var frontChannel: [String] = []
    }

    /// How long a logout token is valid: the RP is called at once.
    static let logoutTokenLifetime: TimeInterval = 120

    func end(_ session: SSOSession) async throws -> Outcome {
        try await runtime.engine.endSession(id: session.id)
        let revoked = try await runtime.storage.tokens.revoke(sessionID: session.id)
        if revoked > 0 { runtime.logger.debug("session end revoked \(revoked) tokens") }
        let sid = runtime.sessionReferences.sid(sessionID: session.id)
        var outcome = Outcome()
        var notices = [BackChannelNotice]()
        for participant in session.participants where participant.subjectFormat == nil {
            guard let sp = try? await runtime.storage.serviceProviders.get(name: participant.serviceProvider), let oidc = sp.oidc else { continue }
            if let uri = oidc.frontchannelLogoutURI {
                outcome.frontChannel.append(OAuthResponses.queryLocation(uri, [("iss", runtime.baseURL.string), ("sid", sid)]))
            }
            if let uri = oidc.backchannelLogoutURI {
                // Made one after another (the scenario's random stream stays in order),
                // sent all at once.
                do {
                    let token = try await logoutToken(for: oidc, subject: participant.subject, sid: sid)
                    notices.append(BackChannelNotice(recipient: sp.name, url: uri, form: [("logout_token", token)]))
                } catch {
                    runtime.logger.info("no logout token for \(sp.name): \(error)")
                    outcome.failed.append(sp.name)
                }
            }
        }
        // Redirects are not followed (the backChannelClient): an RP's redirect is an answer
        // meant for a browser. §2.8: 200 (or 204) when the RP logged the session out.
        let http = UpstreamHTTP(client: runtime.backChannelClient, timeout: .seconds(Int64(runtime.settings.upstreamTimeoutSeconds)))
        let sent = await BackChannelNotice.send(notices, over: http, accepting: 200..<300, logger: runtime.logger)
        outcome.failed += sent.failed
        outcome.told = sent.told
        return outcome
    }

    /// A logout token for one RP (Back-Channel Logout 1.0 §2.4), signed as its ID tokens are.
    private func logoutToken(for client: OIDCSettings, subject: String, sid: String) async throws -> String {
        let now = runtime.clock.now
        let claims = LogoutTokenClaims(
            iss: runtime.baseURL.string, aud: [client.clientID], iat: now, exp: now.addingTimeInterval(Self.logoutTokenLifetime),
            jti: runtime.random.token(), sub: subject, sid: sid)
        return try await runtime.signingKeys.sign(claims, algorithm: client.idTokenSigningAlgorithm.rawValue, typ: LogoutTokenClaims.type)
    }
}
