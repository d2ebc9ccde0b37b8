public import Foundation
public import IdentityCore
public import XMLSecurity

/// A signature that verified: how it was made and with which configured certificate.
public struct VerifiedSignature: Sendable, Equatable {
    public var algorithm: SignatureAlgorithm
    public var digest: DigestAlgorithm
    /// The subject of the configured certificate whose key verified it.
    public var certificateSubject: String
}

/// A Response that passed validation, read only from verified elements.
public struct ValidatedSAMLResponse: Sendable {
    public var issuer: String?
    public var destination: String?
    public var inResponseTo: String?
    public var issueInstant: Date?
    public var status: SAMLStatus
    /// Nil when the Response was not signed (a present but invalid signature is refused).
    public var responseSignature: VerifiedSignature?
    public var assertionSignature: VerifiedSignature?
    /// How the assertion was encrypted (SA-8); nil when it came in the clear.
    public var assertionEncryption: AssertionEncryption?
    /// Present when the status is Success.
    public var assertion: ValidatedAssertion?
}

/// The algorithms an `EncryptedAssertion` was encrypted with.
public struct AssertionEncryption: Sendable, Equatable {
    public var data: DataEncryptionAlgorithm
    public var keyTransport: KeyTransportAlgorithm

    public init(data: DataEncryptionAlgorithm, keyTransport: KeyTransportAlgorithm) {
        self.data = data
        self.keyTransport = keyTransport
    }

    /// `aes256-gcm rsa-oaep-mgf1p`, as observations record it.
    public var shortForm: String { "\(data.rawValue) \(keyTransport.rawValue)" }
}

public struct ValidatedAssertion: Sendable {
    public var id: String
    public var issuer: String
    public var nameID: String
    public var nameIDFormat: String?
    public var recipient: String?
    public var audiences: [String]
    public var notBefore: Date?
    public var notOnOrAfter: Date?
    /// The bearer SubjectConfirmationData's NotOnOrAfter (always present: it is required).
    public var confirmationNotOnOrAfter: Date?
    /// The assertion's IssueInstant.
    public var issueInstant: Date?
    public var sessionIndex: String?
    public var authnInstant: Date?
    public var attributes: [SAMLAttribute]
}

/// Validates a Response as a careful SP does (SAML profiles §4.1.4.3): staged, each stage
/// reading only what an earlier stage verified, with time from the injected clock.
///
/// 1. root and version; 2. the Response signature, if any, verified and the rest read from
/// the verified copy; 3. status; 4. Destination; 5. InResponseTo against outstanding
/// requests; 6. exactly one assertion, its signature verified (the Response's or its own
/// must exist); 7. issuer, subject confirmation (Recipient, NotOnOrAfter), conditions
/// (time window, audience).
public struct SAMLResponseValidator: Sendable {
    public struct Expectations: Sendable {
        public var idpEntityID: String
        public var trusted: [TrustedCertificate]
        /// This SP's entity ID: must be an Audience.
        public var audience: String
        /// The ACS URL the Response was received at: Destination and Recipient.
        public var acsURL: String
        /// IDs of AuthnRequests this SP sent and has not seen answered.
        public var outstandingRequestIDs: Set<String>
        /// Accept Responses that answer no request (IdP-initiated SSO).
        public var allowUnsolicited: Bool
        public var clockSkew: TimeInterval
        /// Opens an `EncryptedAssertion` (SA-8); nil: this party has no decryption key, and
        /// an encrypted assertion is refused.
        public var decryptor: XMLDecryptor?
        /// Decrypt AES-CBC content that no verified Response signature covers. Off by
        /// default: CBC does not authenticate, and an attacker who may change the ciphertext
        /// can learn the plaintext from how long the refusal takes (Jager and Somorovsky,
        /// 2011), or relabel a GCM assertion as CBC to the same end (the 2013
        /// backwards-compatibility attack). For IdPs that sign only the assertion and still
        /// encrypt with CBC.
        public var acceptsUnauthenticatedCBC: Bool

        public init(
            idpEntityID: String, trusted: [TrustedCertificate], audience: String, acsURL: String, outstandingRequestIDs: Set<String>,
            allowUnsolicited: Bool, clockSkew: TimeInterval = 60, decryptor: XMLDecryptor? = nil, acceptsUnauthenticatedCBC: Bool = false
        ) {
            self.decryptor = decryptor
            self.acceptsUnauthenticatedCBC = acceptsUnauthenticatedCBC
            self.idpEntityID = idpEntityID
            self.trusted = trusted
            self.audience = audience
            self.acsURL = acsURL
            self.outstandingRequestIDs = outstandingRequestIDs
            self.allowUnsolicited = allowUnsolicited
            self.clockSkew = clockSkew
        }
    }

    public let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func validate(_ document: XMLDocument, expecting e: Expectations) throws(SAMLError) -> ValidatedSAMLResponse {
        var response = document.root
        guard response.is("Response", XMLNamespace.samlp) else {
            throw SAMLError(.samlUnexpectedMessage, value: response.localName, detail: "expected samlp:Response")
        }
        guard response.attribute("Version") == "2.0" else {
            throw SAMLError(.samlVersionUnsupported, field: "Version", value: response.attribute("Version"), detail: "only SAML 2.0")
        }
        let verifier = XMLSignatureVerifier(trusted: e.trusted)
        var responseSignature: VerifiedSignature?
        if !XMLSignatureVerifier.signatures(of: response).isEmpty {
            let verified = try verify(response, with: verifier)
            response = verified.element
            responseSignature = Self.describe(verified)
        }

        let issuer = response.firstChild("Issuer", XMLNamespace.saml)?.text
        if let issuer, issuer != e.idpEntityID {
            throw SAMLError(.samlIssuerMismatch, field: "Issuer", value: issuer, detail: "the Response comes from another issuer")
        }
        let status = SAMLStatus(of: response)
        let destination = response.attribute("Destination")
        if let destination, destination != e.acsURL {
            throw SAMLError(.samlDestinationMismatch, field: "Destination", value: destination, detail: "the Response is addressed to another ACS")
        }
        if responseSignature != nil && destination == nil {
            throw SAMLError(.samlDestinationMismatch, field: "Destination", detail: "a signed Response must carry Destination")
        }
        let claimedInResponseTo = response.attribute("InResponseTo")
        var result = ValidatedSAMLResponse(
            issuer: issuer, destination: destination, inResponseTo: claimedInResponseTo,
            issueInstant: try Self.time(response, "IssueInstant", field: "IssueInstant"), status: status,
            responseSignature: responseSignature, assertionSignature: nil, assertion: nil)
        guard status.isSuccess else {
            // An error carries no assertion; the claim is all there is to match.
            try checkInResponseTo(claimedInResponseTo, e)
            return result
        }

        let assertions = response.children("Assertion", XMLNamespace.saml)
        let encrypted = response.children("EncryptedAssertion", XMLNamespace.saml)
        // An EncryptedAssertion beside a plaintext one is refused like any second assertion:
        // choosing either would let an attacker add the other.
        guard assertions.count + encrypted.count <= 1 else {
            throw SAMLError(
                .samlAssertionMultiple, detail: "the Response carries \(assertions.count) assertions and \(encrypted.count) encrypted ones")
        }
        var assertion: XMLElement
        if let sealed = encrypted.first {
            (assertion, result.assertionSignature, result.assertionEncryption) = try open(
                sealed, verifier: verifier, responseSigned: responseSignature != nil, e)
        } else {
            guard let plain = assertions.first else {
                throw SAMLError(.samlAssertionMissing, detail: "a successful Response carries no assertion")
            }
            assertion = plain
            if !XMLSignatureVerifier.signatures(of: assertion).isEmpty {
                let verified = try verify(assertion, with: verifier)
                assertion = verified.element
                result.assertionSignature = Self.describe(verified)
            }
        }
        if responseSignature == nil && result.assertionSignature == nil {
            throw SAMLError(.samlUnsigned, detail: "neither the Response nor the assertion is signed")
        }
        let read = try readAssertion(assertion, e)
        // Which request this answers: an unsigned Response's InResponseTo proves nothing, so
        // the signed assertion's SubjectConfirmationData decides; the two may not disagree.
        if let confirmed = read.confirmedInResponseTo, let claimed = claimedInResponseTo, confirmed != claimed {
            throw SAMLError(
                .samlInResponseToMismatch, field: "SubjectConfirmationData/@InResponseTo", value: confirmed,
                detail: "the assertion answers another request than the Response claims")
        }
        let answered = responseSignature != nil ? (claimedInResponseTo ?? read.confirmedInResponseTo) : read.confirmedInResponseTo
        if responseSignature == nil, claimedInResponseTo != nil, read.confirmedInResponseTo == nil {
            throw SAMLError(
                .samlInResponseToMismatch, field: "InResponseTo", value: claimedInResponseTo,
                detail: "only the unsigned Response claims to answer a request; the signed assertion does not")
        }
        try checkInResponseTo(answered, e)
        result.inResponseTo = answered
        result.assertion = read.assertion
        return result
    }

    /// Decrypts an `EncryptedAssertion` (SA-8) and verifies the decrypted assertion's
    /// signature, if it has one; what follows reads only the verified element.
    ///
    /// Without a verified Response signature nothing vouches for the ciphertext, and AES-CBC
    /// does not authenticate it: an attacker may alter it and watch the answer. Telling
    /// "did not decrypt" from "decrypted to XML whose signature fails" (or "…that is not
    /// signed") would tell them whether their altered ciphertext still parses — the oracle of
    /// Jager and Somorovsky's 2011 attack on XML Encryption, which recovers the plaintext.
    /// So in that case every failure up to a verified signature is `xmlenc.decryption_failed`.
    private func open(_ sealed: XMLElement, verifier: XMLSignatureVerifier, responseSigned: Bool, _ e: Expectations) throws(SAMLError)
        -> (XMLElement, VerifiedSignature?, AssertionEncryption)
    {
        do {
            guard let decryptor = e.decryptor else {
                throw XMLSecurityError(.decryptionFailed, detail: "the assertion is encrypted and this party has no decryption key")
            }
            guard let data = sealed.firstChild("EncryptedData", XMLEncryptionNamespace.xenc) else {
                throw XMLSecurityError(.decryptionFailed, detail: "EncryptedAssertion holds no xenc:EncryptedData")
            }
            let allowed = responseSigned || e.acceptsUnauthenticatedCBC
                ? Set(DataEncryptionAlgorithm.allCases) : Set(DataEncryptionAlgorithm.allCases.filter(\.isGCM))
            let opened = try decryptor.open(data, siblingKeys: sealed.children("EncryptedKey", XMLEncryptionNamespace.xenc), allowed: allowed)
            let encryption = AssertionEncryption(data: opened.data, keyTransport: opened.keyTransport)
            guard opened.element.is("Assertion", XMLNamespace.saml) else {
                throw SAMLError(.samlUnexpectedMessage, value: opened.element.localName, detail: "the EncryptedAssertion holds no saml:Assertion")
            }
            guard !XMLSignatureVerifier.signatures(of: opened.element).isEmpty else {
                if !responseSigned { throw SAMLError(.samlUnsigned, detail: "neither the Response nor the decrypted assertion is signed") }
                return (opened.element, nil, encryption)
            }
            let verified = try verify(opened.element, with: verifier)
            return (verified.element, Self.describe(verified), encryption)
        } catch {
            let coded = error as? any CodedError
            if responseSigned, let coded { throw SAMLError(carrying: coded) }
            let reason = coded.map { "\($0.code.rawValue): \($0.detail)" } ?? "\(error)"
            throw SAMLError(carrying: ErrorCode.decryptionFailed, detail: reason)
        }
    }

    /// A bare Assertion presented at a token endpoint (RFC 7522 §3, the SAML 2.0 bearer
    /// grant): it must be signed (§3 item 9) by a trusted certificate, and is then read
    /// from its verified form as an SP reads one — Issuer, a bearer SubjectConfirmation
    /// whose Recipient is `e.acsURL` (the token endpoint) and NotOnOrAfter, the
    /// Conditions window and an AudienceRestriction naming `e.audience`.
    public func validateBearerAssertion(_ document: XMLDocument, expecting e: Expectations) throws(SAMLError) -> ValidatedAssertion {
        let assertion = document.root
        guard assertion.is("Assertion", XMLNamespace.saml) else {
            throw SAMLError(.samlUnexpectedMessage, value: assertion.localName, detail: "expected saml:Assertion")
        }
        guard !XMLSignatureVerifier.signatures(of: assertion).isEmpty else {
            throw SAMLError(.samlUnsigned, detail: "a bearer assertion must be signed (RFC 7522 §3)")
        }
        let verified = try verify(assertion, with: XMLSignatureVerifier(trusted: e.trusted))
        return try readAssertion(verified.element, e).assertion
    }

    /// The Issuer an unverified bearer assertion (base64url, RFC 7522 §2.1) claims: only to
    /// choose whose certificates verify it.
    public static func claimedIssuer(ofBearerAssertion encoded: String) -> String? {
        guard let bytes = Base64URL.decode(encoded), let document = try? SafeXMLParser.parse(bytes) else { return nil }
        return document.root.firstChild("Issuer", XMLNamespace.saml)?.text
    }

    static func describe(_ verified: VerifiedElement) -> VerifiedSignature {
        VerifiedSignature(algorithm: verified.algorithm, digest: verified.digest, certificateSubject: "\(verified.certificate.subject)")
    }

    /// A time attribute, if present; present but unreadable is an error, never "absent".
    static func time(_ element: XMLElement, _ name: String, field: String) throws(SAMLError) -> Date? {
        guard let text = element.attribute(name) else { return nil }
        guard let date = SAMLTime.date(text) else {
            throw SAMLError(.samlMalformed, field: field, value: text, detail: "not an xs:dateTime")
        }
        return date
    }

    private func verify(_ element: XMLElement, with verifier: XMLSignatureVerifier) throws(SAMLError) -> VerifiedElement {
        do {
            return try verifier.verify(element)
        } catch {
            throw SAMLError(carrying: error)
        }
    }

    private func checkInResponseTo(_ inResponseTo: String?, _ e: Expectations) throws(SAMLError) {
        if let inResponseTo {
            guard e.outstandingRequestIDs.contains(inResponseTo) else {
                throw SAMLError(
                    .samlInResponseToMismatch, field: "InResponseTo", value: inResponseTo, detail: "this SP sent no such request")
            }
        } else if !e.allowUnsolicited {
            throw SAMLError(.samlUnsolicited, detail: "unsolicited Responses are not accepted here")
        }
    }

    private func readAssertion(_ assertion: XMLElement, _ e: Expectations) throws(SAMLError)
        -> (assertion: ValidatedAssertion, confirmedInResponseTo: String?)
    {
        let now = clock.now
        let issuer = assertion.firstChild("Issuer", XMLNamespace.saml)?.text ?? ""
        guard issuer == e.idpEntityID else {
            throw SAMLError(.samlIssuerMismatch, field: "Assertion/Issuer", value: issuer, detail: "the assertion comes from another issuer")
        }
        guard let subject = assertion.firstChild("Subject", XMLNamespace.saml),
            let nameID = subject.firstChild("NameID", XMLNamespace.saml)
        else {
            throw SAMLError(.samlSubjectMissing, detail: "the assertion has no Subject/NameID")
        }

        // A bearer SubjectConfirmation whose data names this ACS and has not expired.
        let confirmations = subject.children("SubjectConfirmation", XMLNamespace.saml)
            .filter { $0.attribute("Method") == "urn:oasis:names:tc:SAML:2.0:cm:bearer" }
        guard let data = confirmations.first?.firstChild("SubjectConfirmationData", XMLNamespace.saml) else {
            throw SAMLError(.samlSubjectMissing, detail: "no bearer SubjectConfirmationData")
        }
        let recipient = data.attribute("Recipient")
        guard recipient == e.acsURL else {
            throw SAMLError(.samlRecipientMismatch, field: "Recipient", value: recipient, detail: "the assertion is for another ACS")
        }
        // A bearer confirmation must expire (SAML profiles §4.1.4.2).
        guard let expiry = try Self.time(data, "NotOnOrAfter", field: "SubjectConfirmationData/@NotOnOrAfter") else {
            throw SAMLError(
                .samlMalformed, field: "SubjectConfirmationData/@NotOnOrAfter", detail: "a bearer subject confirmation must carry NotOnOrAfter")
        }
        if now >= expiry.addingTimeInterval(e.clockSkew) {
            throw SAMLError(.samlExpired, field: "SubjectConfirmationData/@NotOnOrAfter", value: SAMLTime.string(expiry), detail: "the subject confirmation has expired")
        }

        let conditions = assertion.firstChild("Conditions", XMLNamespace.saml)
        let notBefore = try conditions.flatMap { (c: XMLElement) throws(SAMLError) in try Self.time(c, "NotBefore", field: "Conditions/@NotBefore") }
        let notOnOrAfter = try conditions.flatMap { (c: XMLElement) throws(SAMLError) in
            try Self.time(c, "NotOnOrAfter", field: "Conditions/@NotOnOrAfter")
        }
        if let notBefore, now < notBefore.addingTimeInterval(-e.clockSkew) {
            throw SAMLError(.samlNotYetValid, field: "Conditions/@NotBefore", value: SAMLTime.string(notBefore), detail: "the assertion is not yet valid")
        }
        if let notOnOrAfter, now >= notOnOrAfter.addingTimeInterval(e.clockSkew) {
            throw SAMLError(.samlExpired, field: "Conditions/@NotOnOrAfter", value: SAMLTime.string(notOnOrAfter), detail: "the assertion has expired")
        }
        let restrictions = conditions?.children("AudienceRestriction", XMLNamespace.saml) ?? []
        let audiences = restrictions.flatMap { $0.children("Audience", XMLNamespace.saml).map(\.text) }
        // Every AudienceRestriction must include us (SAML core §2.5.1.4).
        guard !restrictions.isEmpty,
            restrictions.allSatisfy({ $0.children("Audience", XMLNamespace.saml).contains { $0.text == e.audience } })
        else {
            throw SAMLError(.samlAudienceMismatch, field: "Audience", value: audiences.joined(separator: " "), detail: "this SP is not an audience")
        }

        let authn = assertion.firstChild("AuthnStatement", XMLNamespace.saml)
        let attributes = assertion.children("AttributeStatement", XMLNamespace.saml).flatMap { statement in
            statement.children("Attribute", XMLNamespace.saml).map { attribute in
                SAMLAttribute(
                    name: attribute.attribute("Name") ?? "",
                    values: attribute.children("AttributeValue", XMLNamespace.saml).map(\.text))
            }
        }
        let validated = ValidatedAssertion(
            id: assertion.attribute("ID") ?? "", issuer: issuer, nameID: nameID.text, nameIDFormat: nameID.attribute("Format"),
            recipient: recipient, audiences: audiences, notBefore: notBefore, notOnOrAfter: notOnOrAfter, confirmationNotOnOrAfter: expiry,
            issueInstant: try Self.time(assertion, "IssueInstant", field: "Assertion/@IssueInstant"), sessionIndex: authn?.attribute("SessionIndex"),
            authnInstant: try authn.flatMap { (a: XMLElement) throws(SAMLError) in try Self.time(a, "AuthnInstant", field: "AuthnInstant") },
            attributes: attributes)
        return (validated, data.attribute("InResponseTo"))
    }
}
