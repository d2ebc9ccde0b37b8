public import IdentityCore
public import XMLSecurity
public import Foundation

/// What the processor needs to know of the service provider an AuthnRequest names: its
/// name, its certificate (SA-2, for the request's signature) and its SAML section —
/// nothing of its other protocols, claims or sequence.
public struct SAMLServiceProvider: Sendable {
    public let name: String
    public let certificate: String?
    public let settings: SAMLSettings

    public init(name: String, certificate: String?, settings: SAMLSettings) {
        self.name = name
        self.certificate = certificate
        self.settings = settings
    }

    /// The SAML view of `serviceProvider`; nil when it does not speak SAML.
    public init?(_ serviceProvider: ServiceProvider) {
        guard let settings = serviceProvider.saml else { return nil }
        self.init(name: serviceProvider.name, certificate: serviceProvider.certificate, settings: settings)
    }
}

/// An AuthnRequest that passed every check, with the ACS URL the Response may go to.
public struct ValidatedAuthnRequest: Sendable {
    public let request: AuthnRequest
    public let serviceProvider: SAMLServiceProvider
    public let binding: SAMLBinding
    public let relayState: String?
    public let signature: RequestSignatureStatus
    public let acs: ACSChoice
}

/// Staged processing of an SP-initiated AuthnRequest (the server as IdP):
/// decode → parse → find the SP by Issuer (SA-1) → evaluate the signature with the SP's
/// certificate (SA-7) → re-read the request from the verified element → freshness and Destination →
/// ACS choice (SA-3) → binding. Each stage refuses with its own code, and nothing here
/// touches storage beyond the read-only lookup.
public struct AuthnRequestProcessor: Sendable {
    /// The URLs of this server's SSO service; a present Destination must be one of them.
    public let ssoServiceURLs: Set<String>
    public let clock: any WallClock
    public let limits: XMLParsingLimits

    public init(ssoServiceURLs: Set<String>, clock: any WallClock, limits: XMLParsingLimits = .default) {
        self.ssoServiceURLs = ssoServiceURLs
        self.clock = clock
        self.limits = limits
    }

    public func process(
        _ message: IncomingSAMLMessage, lookup: (String) async throws -> SAMLServiceProvider?
    ) async throws -> ValidatedAuthnRequest {
        try await process(ReceivedSAMLMessage(message, limits: limits), lookup: lookup)
    }

    /// Stages 2–5, for a message the endpoint has decoded already.
    public func process(
        _ received: ReceivedSAMLMessage, lookup: (String) async throws -> SAMLServiceProvider?
    ) async throws -> ValidatedAuthnRequest {
        // 2–3. parse, find the SP by its Issuer, its signature with the SP's certificate only
        let (request, serviceProvider, signature) = try await received.request(
            what: "request", parse: AuthnRequest.init(element:), issuer: \.issuer, lookup: lookup)
        let settings = serviceProvider.settings

        // 4. Fresh, and addressed to this server if addressed at all.
        try SAMLRequestChecks.fresh(request.issueInstant, now: clock.now)
        try SAMLRequestChecks.addressed(request.destination, to: ssoServiceURLs)

        // 5. where the Response may go (SA-3), and how
        let acs = try AssertionConsumerServiceSelector.forRequest(
            url: request.assertionConsumerServiceURL, index: request.assertionConsumerServiceIndex, settings: settings,
            signature: signature)
        if let protocolBinding = request.protocolBinding, protocolBinding != SAMLBinding.post.rawValue {
            throw SAMLError(
                .samlBindingUnsupported, field: "ProtocolBinding", value: protocolBinding,
                detail: "responses are sent with the HTTP-POST binding only")
        }
        return ValidatedAuthnRequest(
            request: request, serviceProvider: serviceProvider, binding: received.binding, relayState: received.relayState, signature: signature,
            acs: acs)
    }
}
