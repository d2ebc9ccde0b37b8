public import IdentityCore
public import XMLSecurity
public import Foundation

/// How a message arrived at a SAML endpoint.
public enum IncomingSAMLMessage: Sendable {
    /// HTTP-Redirect: the raw query string, exactly as received.
    case redirect(rawQuery: String)
    /// HTTP-POST: the decoded form fields.
    case post(form: [String: String])
}

/// A SAML protocol message decoded from its binding and safely parsed, not yet trusted:
/// the first stage every endpoint shares (the SSO service takes AuthnRequests,
/// LogoutRequests and LogoutResponses at one URL, as WSO2's `/samlsso` does, and tells
/// them apart by the root element).
public struct ReceivedSAMLMessage: Sendable {
    /// `SAMLRequest` or `SAMLResponse`.
    public let parameter: String
    public let document: XMLDocument
    public let binding: SAMLBinding
    public let relayState: String?
    /// HTTP-Redirect only: the query-string signature, when one was sent.
    let querySignature: QuerySignature?

    public static let maximumRelayStateLength = 2048

    public init(_ message: IncomingSAMLMessage, limits: XMLParsingLimits = .default) throws(SAMLError) {
        switch message {
        case .redirect(let rawQuery):
            let decoded = try RedirectBinding.decode(rawQuery: rawQuery, limits: limits)
            (parameter, document, binding, relayState, querySignature) = (decoded.parameter, decoded.document, .redirect, decoded.relayState, decoded.signature)
        case .post(let form):
            guard let (name, encoded) = ["SAMLRequest", "SAMLResponse"].lazy.compactMap({ name in form[name].map { (name, $0) } }).first else {
                throw SAMLError(.samlMessageMissing, detail: "the form carries neither SAMLRequest nor SAMLResponse")
            }
            (parameter, document, binding, relayState, querySignature) = (name, try POSTBinding.decode(encoded, parameter: name, limits: limits), .post, form["RelayState"], nil)
        }
        // The same bound as for IdP-initiated SSO (SAML Bindings §3.4.3 lets a sender count
        // on 80 bytes only; WSO2 and most SPs take far more).
        if let relayState, relayState.utf8.count > Self.maximumRelayStateLength {
            throw SAMLError(.samlMalformed, field: "RelayState", detail: "RelayState exceeds \(Self.maximumRelayStateLength) bytes")
        }
    }

    /// The root element's local name (`AuthnRequest`, `LogoutRequest`, …).
    public var kind: String { document.root.localName }

    /// The message's signature judged with `certificate` (the sender's, and only the
    /// sender's): a query signature for HTTP-Redirect, an enveloped one for HTTP-POST.
    /// `verified` is the element the signature covers, which is what must be read when the
    /// signature is valid (never the unverified tree beside it).
    public func signature(certificate: String?) -> (status: RequestSignatureStatus, verified: XMLElement?) {
        signature(trusting: certificate.flatMap { try? TrustedCertificate(pem: $0) }.map { [$0] })
    }

    /// The same with the sender's certificates given (nil: none is configured).
    public func signature(trusting trusted: [TrustedCertificate]?) -> (status: RequestSignatureStatus, verified: XMLElement?) {
        switch binding {
        case .redirect:
            guard let querySignature else { return (.absent, nil) }
            guard let trusted else { return (.invalid(.signatureUntrustedKey), nil) }
            return (querySignature.verifies(with: trusted) ? .valid : .invalid(.samlQuerySignatureInvalid), nil)
        case .post:
            guard !XMLSignatureVerifier.signatures(of: document.root).isEmpty else { return (.absent, nil) }
            guard let trusted else { return (.invalid(.signatureUntrustedKey), nil) }
            do {
                return (.valid, try XMLSignatureVerifier(trusted: trusted).verify(document.root).element)
            } catch {
                return (.invalid(error.code), nil)
            }
        }
    }
}

extension ReceivedSAMLMessage {
    /// The request in this message from a registered SP: parsed (not yet trusted), its SP
    /// found by Issuer (SA-1), its signature judged with that SP's certificate only and
    /// required when the SP validates requests (SA-7), and read again from the verified
    /// element — the stages every request to this IdP passes first.
    public func request<Request>(
        what: String, parse: (XMLElement) throws(SAMLError) -> Request, issuer: (Request) -> String,
        lookup: (String) async throws -> SAMLServiceProvider?
    ) async throws -> (request: Request, serviceProvider: SAMLServiceProvider, signature: RequestSignatureStatus) {
        guard parameter == "SAMLRequest" else {
            throw SAMLError(.samlUnexpectedMessage, field: parameter, detail: "a \(what) travels as SAMLRequest")
        }
        let unverified = try parse(document.root)
        guard let serviceProvider = try await lookup(issuer(unverified)) else {
            throw SAMLError(.samlIssuerUnknown, field: "Issuer", value: issuer(unverified), detail: "no service provider has this issuer")
        }
        let (signature, verified) = self.signature(certificate: serviceProvider.certificate)
        let request = try verified.map(parse) ?? unverified
        try signature.enforce(required: serviceProvider.settings.validateRequestSignatures, what: what)
        return (request, serviceProvider, signature)
    }
}

extension RequestSignatureStatus {
    /// SA-7: with signature validation on, only a valid signature passes.
    public func enforce(required: Bool, what: String) throws(SAMLError) {
        guard required else { return }
        switch self {
        case .valid: return
        case .absent: throw SAMLError(.samlSignatureRequired, detail: "this service provider's \(what)s must be signed")
        case .invalid(let code):
            throw SAMLError(carrying: code, detail: "the \(what)'s signature did not verify with the service provider's certificate")
        }
    }
}

/// Checks every request to this IdP gets after its signature (SA-12).
public enum SAMLRequestChecks {
    /// A request is fresh from `maximumAge` before now to `clockSkew` after now: an old
    /// request, signed or not, cannot be replayed for ever.
    public static let maximumAge: TimeInterval = 300
    public static let clockSkew: TimeInterval = 60

    public static func fresh(_ issueInstant: Date, now: Date) throws(SAMLError) {
        let age = now.timeIntervalSince(issueInstant)
        guard age <= maximumAge, age >= -clockSkew else {
            throw SAMLError(
                .samlRequestExpired, field: "IssueInstant", value: SAMLTime.string(issueInstant),
                detail: "the request was issued \(Int(age)) seconds ago; accepted: up to \(Int(maximumAge)) seconds old")
        }
    }

    /// A present Destination must be one of this service's URLs.
    public static func addressed(_ destination: String?, to urls: Set<String>) throws(SAMLError) {
        if let destination, !urls.contains(destination) {
            throw SAMLError(.samlDestinationMismatch, field: "Destination", value: destination, detail: "the message is addressed to another service")
        }
    }
}
