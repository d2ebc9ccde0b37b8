public import Foundation
public import IdentityCore
public import XMLSecurity

/// An SP-initiated LogoutRequest that passed every check (SA-10, SA-7).
public struct ValidatedLogoutRequest: Sendable {
    public let request: LogoutRequest
    public let serviceProvider: SAMLServiceProvider
    public let binding: SAMLBinding
    public let relayState: String?
}

/// Staged processing of a LogoutRequest from a service provider, as the AuthnRequest's:
/// parse → the SP by Issuer → its signature with the SP's certificate only (required when
/// the SP validates requests, SA-7) → re-read from the verified element → fresh, not past
/// its NotOnOrAfter, addressed here → single logout on for the SP. Which session it
/// names is the caller's to find; nothing here touches storage beyond the lookup.
public struct LogoutRequestProcessor: Sendable {
    /// The URLs of this server's single logout service.
    public let sloServiceURLs: Set<String>
    public let clock: any WallClock

    public init(sloServiceURLs: Set<String>, clock: any WallClock) {
        self.sloServiceURLs = sloServiceURLs
        self.clock = clock
    }

    public func process(
        _ received: ReceivedSAMLMessage, lookup: (String) async throws -> SAMLServiceProvider?
    ) async throws -> ValidatedLogoutRequest {
        let (request, serviceProvider, _) = try await received.request(
            what: "logout request", parse: LogoutRequest.init(element:), issuer: \.issuer, lookup: lookup)
        let settings = serviceProvider.settings
        try timely(request)
        guard settings.singleLogout else {
            throw SAMLError(.samlSingleLogoutDisabled, field: "Issuer", value: request.issuer, detail: "single logout is off for this service provider")
        }
        return ValidatedLogoutRequest(request: request, serviceProvider: serviceProvider, binding: received.binding, relayState: received.relayState)
    }

    /// A LogoutRequest from an IdP this party signs people in through (federated logout):
    /// from `issuer`, signed by it — always required, as a forged one would end anybody's
    /// session — fresh, before its NotOnOrAfter and addressed to this service.
    public func fromIdentityProvider(_ received: ReceivedSAMLMessage, issuer: String, trusted: [TrustedCertificate]) throws(SAMLError)
        -> LogoutRequest
    {
        guard received.parameter == "SAMLRequest" else {
            throw SAMLError(.samlUnexpectedMessage, field: received.parameter, detail: "a LogoutRequest travels as SAMLRequest")
        }
        let unverified = try LogoutRequest(element: received.document.root)
        let (signature, verified) = received.signature(trusting: trusted)
        switch signature {
        case .valid: break
        case .absent: throw SAMLError(.samlSignatureRequired, detail: "an identity provider's logout requests must be signed")
        case .invalid(let code):
            throw SAMLError(carrying: code, detail: "the logout request's signature did not verify with the identity provider's certificates")
        }
        let request = try verified.map(LogoutRequest.init(element:)) ?? unverified
        guard request.issuer == issuer else {
            throw SAMLError(.samlIssuerMismatch, field: "Issuer", value: request.issuer, detail: "the logout request is not from \(issuer)")
        }
        try timely(request)
        return request
    }

    /// Fresh, before its NotOnOrAfter, addressed to this service (SA-12).
    private func timely(_ request: LogoutRequest) throws(SAMLError) {
        try SAMLRequestChecks.fresh(request.issueInstant, now: clock.now)
        if let notOnOrAfter = request.notOnOrAfter, clock.now >= notOnOrAfter.addingTimeInterval(SAMLRequestChecks.clockSkew) {
            throw SAMLError(
                .samlRequestExpired, field: "NotOnOrAfter", value: SAMLTime.string(notOnOrAfter), detail: "the logout request is past its NotOnOrAfter")
        }
        try SAMLRequestChecks.addressed(request.destination, to: sloServiceURLs)
    }

    /// A LogoutResponse answering the LogoutRequest `requestID` this party sent to
    /// `issuer`: from that issuer, to this service if addressed, for that request, with a
    /// signature that verifies when one is present (`trusted`: the sender's certificates).
    /// Its status, and whether an absent signature is acceptable, are the caller's to judge.
    public static func response(
        _ received: ReceivedSAMLMessage, from issuer: String, trusted: [TrustedCertificate]?, answering requestID: String,
        addressedTo urls: Set<String>
    ) throws(SAMLError) -> (response: LogoutResponse, signature: RequestSignatureStatus) {
        guard received.parameter == "SAMLResponse" else {
            throw SAMLError(.samlUnexpectedMessage, field: received.parameter, detail: "a LogoutResponse travels as SAMLResponse")
        }
        let unverified = try LogoutResponse(element: received.document.root)
        let (signature, verified) = received.signature(trusting: trusted)
        if case .invalid(let code) = signature {
            throw SAMLError(carrying: code, detail: "the logout response's signature did not verify with the sender's certificate")
        }
        let response = try verified.map(LogoutResponse.init(element:)) ?? unverified
        guard response.issuer == issuer else {
            throw SAMLError(.samlIssuerMismatch, field: "Issuer", value: response.issuer, detail: "the logout response is not from \(issuer)")
        }
        guard response.inResponseTo == requestID else {
            throw SAMLError(
                .samlInResponseToMismatch, field: "InResponseTo", value: response.inResponseTo, detail: "the logout response answers another request")
        }
        try SAMLRequestChecks.addressed(response.destination, to: urls)
        return (response, signature)
    }
}
