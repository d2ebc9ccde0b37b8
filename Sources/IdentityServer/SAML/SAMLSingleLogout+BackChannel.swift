import AsyncHTTPClient
import Connectors
import Foundation
import IdentityCore
import SAML

/// Single logout without a browser (the sessions API, AU-8): when a person or an admin
/// ends a session through the API there is no browser to carry LogoutRequests, so, as
/// WSO2 Identity Server does, each SAML SP of the session that takes part in single logout
/// is sent its signed LogoutRequest server to server: an HTTP-POST binding form
/// (`SAMLRequest`, no RelayState) POSTed to its SLO URL.
///
/// Why not the SOAP binding, which carries the SP's LogoutResponse back: few SPs offer it
/// (WSO2's service providers have no setting for it), while every SP with an HTTP-POST
/// SLO endpoint can take this. The price is that the SP's own answer cannot be judged: a
/// 2xx, or a 3xx that would carry the browser on with its LogoutResponse (not followed),
/// counts as told; a refused connection, a timeout or a 4xx/5xx as failed.
extension SAMLSingleLogout {
    /// Who heard of a session's end, and who could not be told.
    struct BackChannelOutcome: Sendable, Codable, Equatable {
        var loggedOut: [String]
        var failed: [String]
    }

    /// Ends `session` and tells its participants over the back channel: SAML SPs by
    /// LogoutRequest, OIDC RPs by logout token. An RP with only a front-channel logout URI
    /// cannot be told without a browser, and is listed as failed.
    func endWithoutBrowser(_ session: SSOSession, reason: String) async throws -> BackChannelOutcome {
        let ended = try await SessionTermination(runtime: runtime).end(session)
        var outcome = BackChannelOutcome(loggedOut: ended.told, failed: ended.failed)
        for participant in session.participants where participant.subjectFormat == nil {
            guard !ended.told.contains(participant.serviceProvider), !ended.failed.contains(participant.serviceProvider),
                let sp = try? await runtime.storage.serviceProviders.get(name: participant.serviceProvider),
                sp.oidc?.frontchannelLogoutURI != nil
            else { continue }
            outcome.failed.append(sp.name)
        }
        var notices = [BackChannelNotice]()
        for participant in await participants(of: session, except: nil) {
            guard let settings = try? await runtime.storage.serviceProviders.get(name: participant.serviceProvider).saml,
                let url = settings.effectiveSLORequestURL
            else {
                outcome.failed.append(participant.serviceProvider)
                continue
            }
            let request = logoutRequest(to: participant, at: url, reason: reason)
            let xml = try OutgoingSAMLMessage.enveloped(request.tree, signer: runtime.samlSigner(for: settings))
            notices.append(
                BackChannelNotice(recipient: participant.serviceProvider, url: url, form: [("SAMLRequest", Data(xml.utf8).base64EncodedString())]))
        }
        let http = UpstreamHTTP(client: runtime.backChannelClient, timeout: .seconds(Int64(runtime.settings.upstreamTimeoutSeconds)))
        let sent = await BackChannelNotice.send(notices, over: http, accepting: 200..<400, logger: runtime.logger)
        outcome.loggedOut += sent.told
        outcome.failed += sent.failed
        outcome.loggedOut.sort()
        outcome.failed.sort()
        return outcome
    }
}
