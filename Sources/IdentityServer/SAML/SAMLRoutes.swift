import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// SAML 2.0 Web SSO as IdP: `/samlsso` (HTTP-Redirect and HTTP-POST AuthnRequests,
/// IdP-initiated SSO with `spEntityID`, and single logout: LogoutRequests and
/// LogoutResponses at the same URL, as WSO2's, and `slo=true` for IdP-initiated logout)
/// and the IdP metadata.
///
/// A request that fails any check gets an error page here and nothing is stored: the
/// flow is created only after the request, its signature and its ACS URL passed.
struct SAMLRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    static var metadataPath: String { "/identity/metadata/saml2" }

    func addRoutes(to router: Router<Context>) {
        router.get("/samlsso") { request, context in try await self.ssoByRedirect(request, client: context.clientAddress) }
        router.post("/samlsso") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            return try await self.receive(.post(form: form.fields), request: request, client: context.clientAddress)
        }
        router.get(RouterPath(stringLiteral: Self.metadataPath)) { _, _ in self.metadata() }
    }

    private func ssoByRedirect(_ request: Request, client: String?) async throws -> Response {
        let query = request.uri.query ?? ""
        let parameters = Dictionary(try FormBody.pairs(query), uniquingKeysWith: { first, _ in first })
        if parameters["slo"] == "true", let entityID = parameters["spEntityID"] {
            return try await SAMLSingleLogout(runtime: runtime).idpInitiated(
                entityID: entityID, returnTo: parameters["returnTo"], sessionCookie: runtime.cookie(.session, of: request))
        }
        if let entityID = parameters["spEntityID"] {
            return try await idpInitiated(entityID: entityID, acs: parameters["acs"], relayState: parameters["RelayState"], request: request)
        }
        return try await receive(.redirect(rawQuery: query), request: request, client: client)
    }

    /// A message at the SSO service, told apart by its root element.
    private func receive(_ message: IncomingSAMLMessage, request: Request, client: String?) async throws -> Response {
        let received = try ReceivedSAMLMessage(message)
        switch received.kind {
        case "LogoutRequest": return try await SAMLSingleLogout(runtime: runtime).request(received, sessionCookie: runtime.cookie(.session, of: request))
        case "LogoutResponse": return try await SAMLSingleLogout(runtime: runtime).response(received)
        default: return try await accept(received, request: request, client: client)
        }
    }

    /// SP-initiated: validate the AuthnRequest, then start the flow.
    private func accept(_ received: ReceivedSAMLMessage, request: Request, client: String?) async throws -> Response {
        let processor = AuthnRequestProcessor(ssoServiceURLs: [runtime.ssoURL], clock: runtime.clock)
        let storage = runtime.storage
        let validated = try await processor.process(received) { issuer in
            try await storage.serviceProviders.find(.samlIssuer(issuer)).flatMap(SAMLServiceProvider.init)
        }
        runtime.logger.debug("accepted AuthnRequest \(validated.request.id) from \(validated.request.issuer) → \(validated.acs.url) (\(validated.acs.reason))")
        let context = SAMLFlowContext(
            requestID: validated.request.id, issuer: validated.request.issuer, acsURL: validated.acs.url, acsReason: validated.acs.reason,
            relayState: validated.relayState, attributesRequested: validated.request.attributeConsumingServiceIndex != nil,
            nameIDFormat: validated.request.nameIDPolicyFormat, allowCreate: validated.request.nameIDPolicyAllowCreate)
        // A NameIDPolicy or RequestedAuthnContext this server cannot honour is answered to
        // the ACS at once, before anyone signs in (no flow is stored).
        let settings = validated.serviceProvider.settings
        if let status = NameIDPolicyDecision.refusal(of: validated.request, settings: settings) {
            return try SAMLFlowResponder(runtime: runtime).answer(status, context: context, settings: settings)
        }
        return try await start(
            AuthenticationRequest(
                serviceProvider: validated.serviceProvider.name, inbound: context, forceAuthentication: validated.request.forceAuthn,
                passive: validated.request.isPassive,
                requestPathCredentials: AuthenticationRequest.Credentials(basicAuthorizationOf: request, from: client)),
            browserBinding: runtime.cookie(.browser, of: request))
    }

    /// SA-4: `/samlsso?spEntityID=…[&acs=…]`, only for SPs that allow it, only to a
    /// registered ACS URL.
    private func idpInitiated(entityID: String, acs: String?, relayState: String?, request: Request) async throws -> Response {
        // The same bound as an SP's RelayState (SAML Bindings §3.4.3: 80 bytes is all an
        // SP may count on; WSO2 and most SPs take far more, so the request path's 2 KiB).
        if let relayState, relayState.utf8.count > ReceivedSAMLMessage.maximumRelayStateLength {
            throw SAMLError(.samlMalformed, field: "RelayState", detail: "RelayState exceeds \(ReceivedSAMLMessage.maximumRelayStateLength) bytes")
        }
        guard let sp = try await runtime.storage.serviceProviders.find(.samlIssuer(entityID)), let settings = sp.saml else {
            throw SAMLError(.samlServiceProviderUnknown, field: "spEntityID", value: entityID, detail: "no service provider has this entity ID")
        }
        guard settings.idpInitiatedSSO else {
            throw SAMLError(.samlIdPInitiatedDisabled, field: "spEntityID", value: entityID, detail: "IdP-initiated SSO is off for this service provider")
        }
        let choice = try AssertionConsumerServiceSelector.forUnsolicited(url: acs, settings: settings)
        let context = SAMLFlowContext(
            requestID: nil, issuer: settings.issuer, acsURL: choice.url, acsReason: choice.reason, relayState: relayState,
            attributesRequested: false)
        return try await start(
            AuthenticationRequest(serviceProvider: sp.name, inbound: context),
            browserBinding: runtime.cookie(.browser, of: request))
    }

    private func start(_ authenticationRequest: AuthenticationRequest, browserBinding: String?) async throws -> Response {
        let started = try await runtime.engine.start(authenticationRequest, browserBinding: browserBinding)
        return LoginRoutes<Context>.redirectToFlow(started, runtime: runtime)
    }

    private func metadata() -> Response {
        // The signature algorithms it has keys for, and every digest.
        let xml = SAMLMetadata.identityProvider(
            entityID: runtime.settings.entityID, ssoURL: runtime.ssoURL, sloURL: runtime.ssoURL, certificates: runtime.credentials.all,
            nameIDFormats: NameIDFormat.allCases.map(\.rawValue), wantsSignedRequests: false,
            signingMethods: SignatureAlgorithm.allCases.filter { runtime.credentials.credential(for: $0) != nil }.map(\.uri))
        return Response(
            status: .ok, headers: [.contentType: "application/samlmetadata+xml"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}
