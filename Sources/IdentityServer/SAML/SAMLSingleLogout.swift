import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import SAML
import XMLSecurity

/// Single logout as session authority (SA-10, SAML core §3.7, profiles §4.4): a
/// LogoutRequest from one SP ends the session it names and is propagated through the
/// browser to every other SP of the session that takes part in single logout (front
/// channel, one after another), and the initiator hears Success or PartialLogout. The
/// session's OIDC RPs hear of it as ``SessionTermination`` says (back channel at once,
/// front channel in iframes of the last page). The server may start the same itself
/// (IdP-initiated, only for SPs that allow it; an OIDC RP's logout).
///
/// Hostile or mistaken requests change nothing: a message that cannot be trusted (unknown
/// issuer, unsigned where signatures are required, forged, stale, addressed elsewhere,
/// replayed) gets an error page; a trusted one naming a session or person this server
/// does not know is answered to its SP with Requester/UnknownPrincipal, and the session
/// stays as it was.
struct SAMLSingleLogout: Sendable {
    let runtime: ServerRuntime

    var states: any RecordStore<SAMLLogoutState> { runtime.storage.records(SAMLLogoutState.self) }

    // MARK: SP-initiated

    func request(_ received: ReceivedSAMLMessage, sessionCookie: String?) async throws -> Response {
        let storage = runtime.storage
        let validated = try await LogoutRequestProcessor(sloServiceURLs: [runtime.ssoURL], clock: runtime.clock).process(received) { issuer in
            try await storage.serviceProviders.find(.samlIssuer(issuer)).flatMap(SAMLServiceProvider.init)
        }
        let request = validated.request
        try await honourOnce(request, as: "saml-logout:\(request.issuer):\(request.id)")
        let initiator = SAMLLogoutState.Initiator.serviceProvider(
            name: validated.serviceProvider.name, requestID: request.id, relayState: validated.relayState)
        let session: SSOSession
        do {
            session = try await self.session(named: request, by: validated.serviceProvider.name, cookie: sessionCookie)
        } catch let error as SAMLError where error.code.samlStatus != nil {
            runtime.logger.info("refused LogoutRequest \(request.id) from \(request.issuer): \(error.code.rawValue): \(error.detail)")
            return try await finish(initiator, status: SAMLStatus(error.code), endedCookie: false, frontChannel: [])
        }
        runtime.logger.debug("LogoutRequest \(request.id) from \(request.issuer) ends session for \(request.nameID)")
        return try await end(session, initiator: initiator, except: validated.serviceProvider.name, cookie: sessionCookie)
    }

    /// Each LogoutRequest is honoured once, for as long as it would pass as fresh.
    func honourOnce(_ request: LogoutRequest, as key: String) async throws {
        let horizon = request.issueInstant.addingTimeInterval(SAMLRequestChecks.maximumAge + SAMLRequestChecks.clockSkew)
        guard try await runtime.storage.replays.claim(key, until: horizon, now: runtime.clock.now) else {
            throw SAMLError(.samlReplayed, field: "ID", value: request.id, detail: "this LogoutRequest was already processed")
        }
    }

    /// The session a LogoutRequest names: by a SessionIndex this server issued to that SP,
    /// or, when it sends none, the browser's own session. Its NameID must be the one that
    /// session's assertion gave the SP.
    private func session(named request: LogoutRequest, by serviceProvider: String, cookie: String?) async throws -> SSOSession {
        var found: SSOSession?
        if request.sessionIndexes.isEmpty {
            found = try await runtime.engine.session(token: cookie)
        } else {
            for index in request.sessionIndexes {
                guard let named = runtime.sessionReferences.session(named: index), named.serviceProvider == serviceProvider,
                    let session = try await runtime.storage.sessions.get(id: named.sessionID), session.expiresAt > runtime.clock.now
                else { continue }
                found = session
                break
            }
        }
        guard let session = found, let participant = session.participants.first(where: { $0.serviceProvider == serviceProvider }) else {
            throw SAMLError(
                .samlLogoutSessionUnknown, field: "SessionIndex", value: request.sessionIndexes.first,
                detail: "no live session here has this SessionIndex for the service provider")
        }
        guard ConstantTime.equals(participant.subject, request.nameID) else {
            throw SAMLError(.samlLogoutSubjectMismatch, field: "NameID", value: request.nameID, detail: "the session's NameID for this SP is another")
        }
        return session
    }

    // MARK: IdP-initiated

    /// `/samlsso?slo=true&spEntityID=…[&returnTo=…]`: WSO2's IdP-initiated single logout,
    /// only for an SP that enables it and only back to one of its registered return URLs.
    /// Like WSO2's it needs no confirmation: the SP opted in by enabling it.
    func idpInitiated(entityID: String, returnTo: String?, sessionCookie: String?) async throws -> Response {
        guard let sp = try await runtime.storage.serviceProviders.find(.samlIssuer(entityID)), let settings = sp.saml else {
            throw SAMLError(.samlServiceProviderUnknown, field: "spEntityID", value: entityID, detail: "no service provider has this entity ID")
        }
        guard settings.idpInitiatedSLO else {
            throw SAMLError(
                .samlIdPInitiatedLogoutDisabled, field: "spEntityID", value: entityID, detail: "IdP-initiated logout is off for this service provider")
        }
        if let returnTo, !settings.returnToURLs.contains(returnTo) {
            throw SAMLError(.samlReturnToNotRegistered, field: "returnTo", value: returnTo, detail: "not one of the service provider's returnToURLs")
        }
        return try await logOut(cookie: sessionCookie, returnTo: returnTo)
    }

    /// Ends the browser's session and tells every SAML participant, then sends the browser
    /// to `returnTo` (or the signed-out page): IdP-initiated logout, and an OIDC RP's.
    func logOut(cookie: String?, returnTo: String?) async throws -> Response {
        guard let session = try await runtime.engine.session(token: cookie) else {
            return try await finish(.identityProvider(returnTo: returnTo), status: .success, endedCookie: true, frontChannel: [])
        }
        return try await end(session, initiator: .identityProvider(returnTo: returnTo), except: nil, cookie: cookie)
    }

    // MARK: propagation

    func end(_ session: SSOSession, initiator: SAMLLogoutState.Initiator, except initiating: String?, cookie: String?) async throws
        -> Response
    {
        let ended = try await SessionTermination(runtime: runtime).end(session)
        let endedCookie = AuthenticationEngine.isCookie(cookie, ofSession: session.id)
        let pending = await participants(of: session, except: initiating)
        let upstream = await upstreamLogout(of: session, initiator: initiator)
        guard !pending.isEmpty || upstream != nil else {
            return try await finish(
                initiator, status: ended.failed.isEmpty ? .success : LogoutResponse.partialLogout, endedCookie: endedCookie,
                frontChannel: ended.frontChannel)
        }
        let state = SAMLLogoutState(
            id: runtime.random.token(), initiator: initiator, pending: pending, upstream: upstream, outstanding: nil, failed: ended.failed,
            frontChannel: ended.frontChannel, expiresAt: runtime.clock.now.addingTimeInterval(SAMLLogoutState.lifetime))
        try await forgetAbandonedLogouts()
        try await states.create(state)
        var response = try await next(state)
        if endedCookie { clearSessionCookie(&response) }
        return response
    }

    /// Drops the logouts whose browser never came back (a participant that never answered):
    /// past their lifetime nothing can resume them. Only such leftovers and the logouts in
    /// progress are stored, so the scan at each new logout stays short.
    private func forgetAbandonedLogouts() async throws {
        let now = runtime.clock.now
        for abandoned in try await states.all() where abandoned.expiresAt <= now {
            try? await states.delete(abandoned.id)
        }
    }

    /// The SAML SPs of a session that take part in single logout, but `initiating`.
    func participants(of session: SSOSession, except initiating: String?) async -> [SAMLLogoutState.Participant] {
        var pending = [SAMLLogoutState.Participant]()
        for participant in session.participants where participant.serviceProvider != initiating {
            guard let sp = try? await runtime.storage.serviceProviders.get(name: participant.serviceProvider), let settings = sp.saml,
                settings.singleLogout, participant.subjectFormat != nil
            else { continue }  // not SAML (an OIDC RP), or not taking part in SLO
            pending.append(
                .init(
                    serviceProvider: sp.name, nameID: participant.subject, nameIDFormat: participant.subjectFormat,
                    sessionIndexes: [participant.sessionIndex]))
        }
        return pending
    }

    /// The LogoutRequest this server sends a participant at `url`.
    func logoutRequest(
        to participant: SAMLLogoutState.Participant, at url: String, reason: String = LogoutRequest.userReason, issuer: String? = nil
    ) -> LogoutRequest {
        LogoutRequest(
            id: runtime.random.xmlIdentifier(), issueInstant: runtime.clock.now, issuer: issuer ?? runtime.settings.entityID, destination: url,
            nameID: participant.nameID, nameIDFormat: participant.nameIDFormat, sessionIndexes: participant.sessionIndexes,
            reason: reason)
    }

    /// A participant's LogoutResponse, arriving with the RelayState the server sent it: an
    /// SP's at `/samlsso`, the federated IdP's at `/commonauth` (`fromUpstream`).
    func response(_ received: ReceivedSAMLMessage, fromUpstream: Bool = false) async throws -> Response {
        let key = received.relayState ?? ""
        guard let stored = try await states.get(key), stored.expiresAt > runtime.clock.now, let outstanding = stored.outstanding,
            (outstanding.upstream ?? false) == fromUpstream
        else {
            throw SAMLError(.samlLogoutUnexpected, field: "RelayState", detail: "no single logout in progress here has this RelayState")
        }
        let failed = await participantFailed(received, outstanding: outstanding)
        return try await next(try await answer(outstanding, of: key, failed: failed))
    }

    /// Takes `outstanding`'s answer, in one compare-and-swap: a second answer to the same
    /// request (a replay, or a double submit) finds it no longer outstanding and changes
    /// nothing.
    func answer(_ outstanding: SAMLLogoutState.Outstanding, of key: String, failed: Bool) async throws -> SAMLLogoutState {
        try await states.update(key) { current in
            guard current.outstanding == outstanding else {
                throw SAMLError(.samlLogoutUnexpected, field: "InResponseTo", detail: "this logout request was already answered")
            }
            var next = current
            next.outstanding = nil
            if failed { next.failed.append(outstanding.serviceProvider) }
            return next
        }
    }

    /// Whether the participant's answer says it did not log out. A wrong answer (forged,
    /// for another request, from another issuer) counts as a failure too: the logout goes
    /// on, and the initiator hears PartialLogout.
    private func participantFailed(_ received: ReceivedSAMLMessage, outstanding: SAMLLogoutState.Outstanding) async -> Bool {
        let trusted: [TrustedCertificate]?
        let endpoint: String
        if outstanding.upstream == true {
            trusted = try? await runtime.storage.identityProviders.get(name: outstanding.serviceProvider).saml?.certificates.map {
                try TrustedCertificate(pem: $0)
            }
            endpoint = runtime.engine.settings.callbackURL()
        } else {
            let certificate = try? await runtime.storage.serviceProviders.get(name: outstanding.serviceProvider).certificate
            trusted = certificate.flatMap { try? TrustedCertificate(pem: $0) }.map { [$0] }
            endpoint = runtime.ssoURL
        }
        do {
            let (response, _) = try LogoutRequestProcessor.response(
                received, from: outstanding.issuer, trusted: trusted, answering: outstanding.requestID, addressedTo: [endpoint])
            if response.status.isSuccess { return false }
            runtime.logger.info("\(outstanding.serviceProvider) did not log out: \(response.status.shortForm)")
        } catch {
            runtime.logger.info("\(outstanding.serviceProvider)'s LogoutResponse refused: \(error.code.rawValue): \(error.detail)")
        }
        return true
    }

    /// Stores that the logout now waits for `outstanding`'s answer, before the browser is
    /// sent off with the request.
    func awaitAnswer(_ outstanding: SAMLLogoutState.Outstanding, _ state: inout SAMLLogoutState) async throws {
        state.outstanding = outstanding
        let saved = state
        try await states.update(state.id) { _ in saved }
    }

    /// Sends the next participant its LogoutRequest, or ends the logout.
    func next(_ state: SAMLLogoutState) async throws -> Response {
        var state = state
        while !state.pending.isEmpty {
            let participant = state.pending.removeFirst()
            guard let sp = try? await runtime.storage.serviceProviders.get(name: participant.serviceProvider), let settings = sp.saml,
                let url = settings.effectiveSLORequestURL
            else {
                state.failed.append(participant.serviceProvider)
                continue
            }
            let request = logoutRequest(to: participant, at: url)
            try await awaitAnswer(.init(serviceProvider: sp.name, issuer: settings.issuer, requestID: request.id), &state)
            return try deliver(
                request.tree, parameter: "SAMLRequest", to: url, binding: settings.sloBinding, signer: runtime.samlSigner(for: settings),
                relayState: state.id)
        }
        if let upstream = state.upstream {
            state.upstream = nil
            if let response = try await upstreamRequest(upstream, state: &state) { return response }
            state.failed.append(upstream.identityProvider)
        }
        try? await states.delete(state.id)
        return try await finish(
            state.initiator, status: state.failed.isEmpty ? .success : LogoutResponse.partialLogout, endedCookie: false,
            frontChannel: state.frontChannel)
    }

    /// The end of a logout: the initiating SP's LogoutResponse, or the return URL, on a page
    /// that first loads the front-channel logout URLs when there are any.
    func finish(_ initiator: SAMLLogoutState.Initiator, status: SAMLStatus, endedCookie: Bool, frontChannel: [String]) async throws
        -> Response
    {
        var response: Response
        switch initiator {
        case .serviceProvider(let name, let requestID, let relayState):
            guard let settings = try? await runtime.storage.serviceProviders.get(name: name).saml, let url = settings.effectiveSLOResponseURL else {
                throw SAMLError(.samlNoACSConfigured, detail: "the initiating service provider has no logout response URL")
            }
            let answer = LogoutResponse(
                id: runtime.random.xmlIdentifier(), issueInstant: runtime.clock.now, issuer: runtime.settings.entityID, destination: url,
                inResponseTo: requestID, status: status)
            response = try deliver(
                answer.tree, parameter: "SAMLResponse", to: url, binding: settings.sloBinding, signer: runtime.samlSigner(for: settings),
                relayState: relayState, frames: frontChannel)
        case .federatedIdentityProvider(let name, let requestID, let relayState):
            guard let settings = try? await runtime.storage.identityProviders.get(name: name).saml, let url = settings.sloURL else {
                throw SAMLError(.samlLogoutUnexpected, detail: "the identity provider has no single logout service any more")
            }
            let answer = LogoutResponse(
                id: runtime.random.xmlIdentifier(), issueInstant: runtime.clock.now, issuer: settings.spEntityID ?? runtime.settings.entityID,
                destination: url, inResponseTo: requestID, status: status)
            response = try deliver(
                answer.tree, parameter: "SAMLResponse", to: url, binding: settings.binding.saml, signer: runtime.federationSigner,
                relayState: relayState, frames: frontChannel)
        case .identityProvider(let returnTo?) where !frontChannel.isEmpty:
            response = runtime.pages.html(FrontChannelPage.html(frames: frontChannel, continueTo: returnTo), status: .ok)
        case .identityProvider(let returnTo?):
            response = Response(status: .found, headers: [.location: returnTo])
        case .identityProvider(nil) where !frontChannel.isEmpty:
            response = runtime.pages.html(FrontChannelPage.html(frames: frontChannel, continueTo: nil), status: .ok)
        case .identityProvider(nil):
            response = runtime.pages.message(page: "signed-out", title: "Signed out", message: "You are signed out.")
        }
        if endedCookie { clearSessionCookie(&response) }
        return response
    }

    private func clearSessionCookie(_ response: inout Response) {
        response.setCookie(runtime.setting(.session, to: "", maxAge: 0))
    }

    /// A logout message through the browser, by the peer's binding, signed (an SP's with
    /// its algorithms, SA-6): SPs such as mod_auth_mellon refuse unsigned logout messages.
    func deliver(
        _ message: XMLTree, parameter: String, to url: String, binding: SAMLBinding, signer: XMLSigner?, relayState: String?,
        frames: [String] = []
    ) throws -> Response {
        switch try OutgoingSAMLMessage.encode(
            message, parameter: parameter, to: url, binding: binding, relayState: relayState, signer: signer, frames: frames)
        {
        case .redirect(let location) where !frames.isEmpty:
            return runtime.pages.html(FrontChannelPage.html(frames: frames, continueTo: location), status: .ok)
        case .redirect(let location): return Response(status: .found, headers: [.location: location])
        case .post(let page): return runtime.pages.html(page, status: .ok)
        }
    }
}
