public import IdentityCore
public import XMLSecurity
public import Foundation

/// How an AuthnRequest arrived at the SSO endpoint.
public enum IncomingSAMLMessage: Sendable {
    /// HTTP-Redirect: the raw query string, exactly as received.
    case redirect(rawQuery: String)
    /// HTTP-POST: the decoded form fields.
    case post(form: [String: String])
}

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
    public static let maximumRelayStateLength = 2048
    /// A request is fresh from `maximumAge` before now to `clockSkew` after now (SA-12):
    /// an old request, signed or not, cannot be replayed for ever.
    public static let maximumAge: TimeInterval = 300
    public static let clockSkew: TimeInterval = 60

    public init(ssoServiceURLs: Set<String>, clock: any WallClock, limits: XMLParsingLimits = .default) {
        self.ssoServiceURLs = ssoServiceURLs
        self.clock = clock
        self.limits = limits
    }

    public func process(
        _ message: IncomingSAMLMessage, lookup: (String) async throws -> SAMLServiceProvider?
    ) async throws -> ValidatedAuthnRequest {
        // 1. decode
        let document: XMLDocument
        let binding: SAMLBinding
        let relayState: String?
        var querySignature: QuerySignature?
        switch message {
        case .redirect(let rawQuery):
            let decoded = try RedirectBinding.decode(rawQuery: rawQuery, limits: limits)
            guard decoded.parameter == "SAMLRequest" else {
                throw SAMLError(.samlUnexpectedMessage, field: decoded.parameter, detail: "the SSO service expects SAMLRequest")
            }
            (document, binding, relayState, querySignature) = (decoded.document, .redirect, decoded.relayState, decoded.signature)
        case .post(let form):
            guard let encoded = form["SAMLRequest"] else {
                throw SAMLError(.samlMessageMissing, field: "SAMLRequest", detail: "the form carries no SAMLRequest")
            }
            (document, binding, relayState) = (try POSTBinding.decode(encoded, parameter: "SAMLRequest", limits: limits), .post, form["RelayState"])
        }
        if let relayState, relayState.utf8.count > Self.maximumRelayStateLength {
            throw SAMLError(.samlMalformed, field: "RelayState", detail: "RelayState exceeds \(Self.maximumRelayStateLength) bytes")
        }

        // 2. parse (not yet trusted) and find the SP by its Issuer
        let unverified = try AuthnRequest(element: document.root)
        guard let serviceProvider = try await lookup(unverified.issuer) else {
            throw SAMLError(.samlIssuerUnknown, field: "Issuer", value: unverified.issuer, detail: "no service provider has this issuer")
        }

        let settings = serviceProvider.settings

        // 3. signature, with the SP's certificate only
        var request = unverified
        let signature: RequestSignatureStatus
        switch binding {
        case .redirect:
            signature = evaluate(querySignature, certificate: serviceProvider.certificate)
        case .post:
            let outcome = evaluateEnveloped(document.root, certificate: serviceProvider.certificate)
            signature = outcome.status
            if let verified = outcome.verified { request = try AuthnRequest(element: verified.element) }
        }
        if settings.validateRequestSignatures {
            switch signature {
            case .valid: break
            case .absent:
                throw SAMLError(.samlSignatureRequired, detail: "this service provider's requests must be signed")
            case .invalid(let code):
                throw SAMLError(carrying: code, detail: "the request's signature did not verify with the service provider's certificate")
            }
        }

        // 4. Fresh, and addressed to this server if addressed at all.
        let age = clock.now.timeIntervalSince(request.issueInstant)
        guard age <= Self.maximumAge, age >= -Self.clockSkew else {
            throw SAMLError(
                .samlRequestExpired, field: "IssueInstant", value: SAMLTime.string(request.issueInstant),
                detail: "the request was issued \(Int(age)) seconds ago; accepted: up to \(Int(Self.maximumAge)) seconds old")
        }
        if let destination = request.destination, !ssoServiceURLs.contains(destination) {
            throw SAMLError(.samlDestinationMismatch, field: "Destination", value: destination, detail: "the request is addressed to another service")
        }

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
            request: request, serviceProvider: serviceProvider, binding: binding, relayState: relayState, signature: signature, acs: acs)
    }

    private func trusted(_ pem: String?) -> [TrustedCertificate]? {
        guard let pem, let certificate = try? TrustedCertificate(pem: pem) else { return nil }
        return [certificate]
    }

    private func evaluate(_ signature: QuerySignature?, certificate: String?) -> RequestSignatureStatus {
        guard let signature else { return .absent }
        guard let trusted = trusted(certificate) else { return .invalid(.signatureUntrustedKey) }
        return signature.verifies(with: trusted) ? .valid : .invalid(.samlQuerySignatureInvalid)
    }

    private func evaluateEnveloped(_ element: XMLElement, certificate: String?) -> (status: RequestSignatureStatus, verified: VerifiedElement?) {
        guard !XMLSignatureVerifier.signatures(of: element).isEmpty else { return (.absent, nil) }
        guard let trusted = trusted(certificate) else { return (.invalid(.signatureUntrustedKey), nil) }
        do {
            let verified = try XMLSignatureVerifier(trusted: trusted).verify(element)
            return (.valid, verified)
        } catch {
            return (.invalid(error.code), nil)
        }
    }
}
