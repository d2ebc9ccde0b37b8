import AuthFramework
import Connectors
import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// Federated logout (SA-10 across a federation): this server is a service provider of the
/// SAML IdPs it signs people in through. When a session that came from such an IdP ends
/// in the browser, the IdP is sent a LogoutRequest last, after the session's own SPs, and
/// its LogoutResponse comes back to `/commonauth`; when the IdP logs its person out, its
/// LogoutRequest at `/commonauth` ends the sessions it names, is propagated to their SPs
/// like any single logout, and is answered with a LogoutResponse.
///
/// Only IdPs with an `sloURL` take part. Their LogoutRequests must be signed with one of
/// their certificates: anyone could otherwise end anybody's session.
extension SAMLSingleLogout {
    /// The federated IdP to tell of a session's end: the one the session came from, when
    /// it has a single logout service and did not itself start this logout.
    func upstreamLogout(of session: SSOSession, initiator: SAMLLogoutState.Initiator) async -> FederatedLogin? {
        guard let login = session.federatedLogin,
            let idp = try? await runtime.storage.identityProviders.get(name: login.identityProvider),
            idp.saml?.sloURL != nil || (idp.oauth?.endSessionEndpoint != nil && login.idToken != nil)
        else { return nil }
        if case .federatedIdentityProvider(let name, _, _) = initiator, name == idp.name { return nil }
        return login
    }

    /// A LogoutRequest from a federated IdP at `/commonauth`. Untrusted ones (unknown
    /// issuer, unsigned, forged, stale, addressed elsewhere, replayed) get an error page;
    /// a trusted one naming nobody with a session here is answered Requester/UnknownPrincipal.
    func requestFromIdentityProvider(_ received: ReceivedSAMLMessage, sessionCookie: String?) async throws -> Response {
        let issuer = try LogoutRequest(element: received.document.root).issuer
        guard let idp = try await runtime.storage.identityProviders.list().first(where: { $0.saml?.idpEntityID == issuer }),
            let settings = idp.saml, settings.sloURL != nil, idp.enabled
        else {
            throw SAMLError(.samlIssuerUnknown, field: "Issuer", value: issuer, detail: "no identity provider with single logout has this issuer")
        }
        let trusted = try settings.certificates.map { pem throws(XMLSecurityError) in try TrustedCertificate(pem: pem) }
        let processor = LogoutRequestProcessor(sloServiceURLs: [runtime.engine.settings.callbackURL()], clock: runtime.clock)
        let request = try processor.fromIdentityProvider(received, issuer: settings.idpEntityID, trusted: trusted)
        try await honourOnce(request, as: "saml-idp-logout:\(idp.name):\(request.id)")
        let initiator = SAMLLogoutState.Initiator.federatedIdentityProvider(name: idp.name, requestID: request.id, relayState: received.relayState)
        let now = runtime.clock.now
        let sessions = try await runtime.storage.sessions.list(federatedKey: FederatedLogin.key(identityProvider: idp.name, nameID: request.nameID))
            .filter { session in
                // No SessionIndex: every session of that person (SAML core §3.7.3.2).
                session.expiresAt > now
                    && (request.sessionIndexes.isEmpty || request.sessionIndexes.contains(session.federatedLogin?.sessionIndex ?? ""))
            }
        guard !sessions.isEmpty else {
            runtime.logger.info("LogoutRequest \(request.id) from \(idp.name) names no session here")
            return try await finish(
                initiator, status: SAMLStatus(code: SAMLStatusCode.requester, subcode: SAMLStatusCode.unknownPrincipal), endedCookie: false,
                frontChannel: [])
        }
        // The browser carries the logout to the SPs of its own session (the one the
        // request names, normally); any other session it names ends over the back channel.
        let browsers = sessions.first { AuthenticationEngine.isCookie(sessionCookie, ofSession: $0.id) } ?? sessions[0]
        for other in sessions where other.id != browsers.id {
            _ = try await endWithoutBrowser(other, reason: LogoutRequest.userReason)
        }
        runtime.logger.debug("LogoutRequest \(request.id) from \(idp.name) ends \(sessions.count) session(s)")
        return try await end(browsers, initiator: initiator, except: nil, cookie: sessionCookie)
    }
}

extension SAMLSingleLogout {
    /// Where a session's federated IdP is sent at the end of its logout, and what answer is
    /// then awaited: a SAML LogoutRequest, or the browser to an OpenID Provider's
    /// `end_session_endpoint` (RP-Initiated Logout 1.0) with the ID token as
    /// `id_token_hint`, coming back to `/commonauth/logout` with the logout's `state`.
    func upstreamRequest(_ upstream: FederatedLogin, state: inout SAMLLogoutState) async throws -> Response? {
        guard let idp = try? await runtime.storage.identityProviders.get(name: upstream.identityProvider) else { return nil }
        if let settings = idp.saml, let url = settings.sloURL {
            let request = logoutRequest(
                to: .init(
                    serviceProvider: idp.name, nameID: upstream.nameID, nameIDFormat: upstream.nameIDFormat,
                    sessionIndexes: upstream.sessionIndex.map { [$0] } ?? []),
                at: url, issuer: settings.spEntityID ?? runtime.settings.entityID)
            try await awaitAnswer(.init(serviceProvider: idp.name, issuer: settings.idpEntityID, requestID: request.id, upstream: true), &state)
            return try deliver(
                request.tree, parameter: "SAMLRequest", to: url, binding: settings.binding.saml, signer: runtime.federationSigner,
                relayState: state.id)
        }
        if let settings = idp.oauth, let endpoint = settings.endSessionEndpoint, let idToken = upstream.idToken {
            try await awaitAnswer(
                .init(serviceProvider: idp.name, issuer: settings.issuer ?? "", requestID: Self.endSessionMarker, upstream: true), &state)
            let location = OAuthResponses.queryLocation(
                endpoint, [
                    ("id_token_hint", idToken), ("client_id", settings.clientID), ("post_logout_redirect_uri", endSessionReturnURL),
                    ("state", state.id),
                ])
            return Response(status: .found, headers: [.location: location])
        }
        return nil
    }

    /// The outstanding "request" of an RP-initiated logout, which has no ID of its own.
    static let endSessionMarker = "end_session"

    /// Where an OpenID Provider sends the browser back after RP-initiated logout; it must be
    /// registered there as a `post_logout_redirect_uri`.
    var endSessionReturnURL: String { runtime.engine.settings.callbackURL() + "/logout" }

    /// `/commonauth/logout?state=…`: the OpenID Provider logged the person out (RP-Initiated
    /// Logout gives no failure answer: coming back is success) and the logout goes on.
    func endSessionReturned(state key: String?) async throws -> Response {
        let key = key ?? ""
        guard let stored = try await states.get(key), stored.expiresAt > runtime.clock.now, let outstanding = stored.outstanding,
            outstanding.upstream == true, outstanding.requestID == Self.endSessionMarker
        else {
            throw SAMLError(.samlLogoutUnexpected, field: "state", detail: "no logout at an OpenID Provider is in progress here with this state")
        }
        return try await next(try await answer(outstanding, of: key, failed: false))
    }
}

extension SAMLConnectorSettings.RequestBinding {
    var saml: SAMLBinding {
        switch self {
        case .redirect: .redirect
        case .post: .post
        }
    }
}
