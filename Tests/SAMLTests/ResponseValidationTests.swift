import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

/// The server's Response builder and the careful SP's validator, against each other and
/// against every refusal the validator owes (SA-9, SA-12, FE-3-style checks).
@Suite struct ResponseValidationTests {
    let clock = FixedWallClock(Fixtures.now)

    func response(
        audiences: [String] = ["sp.example"], recipient: String = Fixtures.acs, destination: String = Fixtures.acs,
        inResponseTo: String? = "_req", signResponse: Bool = true, signAssertion: Bool = true, key: String = "server-rsa",
        status: SAMLStatus = .success
    ) throws -> XMLDocument {
        let builder = SAMLResponseBuilder(clock: clock, random: SeededRandomSource(seed: 1))
        let xml = try builder.build(
            SAMLResponseParameters(
                issuer: "idp.example", destination: destination, inResponseTo: inResponseTo, audiences: audiences, recipient: recipient,
                validity: 300, status: status,
                assertion: SAMLAssertionContent(
                    nameID: "alice", nameIDFormat: NameIDFormat.persistent.rawValue,
                    attributes: [SAMLAttribute(name: "email", values: ["alice@example.com"])], authnInstant: Fixtures.now, sessionIndex: "_s1"),
                signing: SAMLSigningOptions(
                    credential: Fixtures.credential(key), algorithm: .rsaSHA256, digest: .sha256, signResponse: signResponse,
                    signAssertion: signAssertion)))
        return try SafeXMLParser.parse(xml)
    }

    func expectations(outstanding: Set<String> = ["_req"], allowUnsolicited: Bool = false) -> SAMLResponseValidator.Expectations {
        .init(
            idpEntityID: "idp.example", trusted: [Fixtures.trusted("server-rsa")], audience: "sp.example", acsURL: Fixtures.acs,
            outstandingRequestIDs: outstanding, allowUnsolicited: allowUnsolicited)
    }

    @Test func aResponseTheServerBuildsValidatesWithEveryField() throws {
        let validated = try SAMLResponseValidator(clock: clock).validate(try response(), expecting: expectations())
        #expect(validated.responseSignature?.algorithm == .rsaSHA256)
        #expect(validated.assertionSignature?.digest == .sha256)
        #expect(validated.assertionSignature?.certificateSubject.contains("identity-server signing") == true)
        #expect(validated.inResponseTo == "_req")
        let assertion = try #require(validated.assertion)
        #expect(assertion.nameID == "alice")
        #expect(assertion.nameIDFormat == NameIDFormat.persistent.rawValue)
        #expect(assertion.recipient == Fixtures.acs)
        #expect(assertion.sessionIndex == "_s1")
        #expect(assertion.notOnOrAfter == Fixtures.now.addingTimeInterval(300))
        #expect(assertion.attributes == [SAMLAttribute(name: "email", values: ["alice@example.com"])])
    }

    @Test func eachBrokenConditionHasItsCode() throws {
        let validator = SAMLResponseValidator(clock: clock)
        let cases: [(XMLDocument, SAMLResponseValidator.Expectations, ErrorCode)] = [
            (try response(audiences: ["other.example"]), expectations(), .samlAudienceMismatch),
            (try response(recipient: "https://sp.example/other"), expectations(), .samlRecipientMismatch),
            (try response(destination: "https://sp.example/other"), expectations(), .samlDestinationMismatch),
            (try response(inResponseTo: "_unknown"), expectations(), .samlInResponseToMismatch),
            (try response(inResponseTo: nil), expectations(), .samlUnsolicited),
            (try response(signResponse: false, signAssertion: false), expectations(), .samlUnsigned),
            (try response(key: "attacker-rsa"), expectations(), .signatureUntrustedKey),
        ]
        for (document, e, code) in cases {
            #expect(throws: SAMLError(carrying: code, detail: "")) { try validator.validate(document, expecting: e) }
        }
    }

    @Test func timeOutsideTheWindowIsRefusedBeyondTheSkew() throws {
        let document = try response()
        let late = SAMLResponseValidator(clock: FixedWallClock(Fixtures.now.addingTimeInterval(300 + 61)))
        #expect(throws: SAMLError(.samlExpired, detail: "")) { try late.validate(document, expecting: expectations()) }
        let early = SAMLResponseValidator(clock: FixedWallClock(Fixtures.now.addingTimeInterval(-61)))
        #expect(throws: SAMLError(.samlNotYetValid, detail: "")) { try early.validate(document, expecting: expectations()) }
        let withinSkew = SAMLResponseValidator(clock: FixedWallClock(Fixtures.now.addingTimeInterval(300 + 30)))
        #expect(try withinSkew.validate(document, expecting: expectations()).assertion != nil)
    }

    @Test func anErrorStatusCarriesNoAssertion() throws {
        let document = try response(status: SAMLStatus(code: SAMLStatusCode.responder, subcode: SAMLStatusCode.requestDenied))
        #expect(document.root.firstChild("Assertion", XMLNamespace.saml) == nil)
        let validated = try SAMLResponseValidator(clock: clock).validate(document, expecting: expectations())
        #expect(validated.status.subcode == SAMLStatusCode.requestDenied)
        #expect(validated.assertion == nil)
    }

    @Test func anUnsignedResponseCannotClaimARequestTheSignedAssertionDoesNotAnswer() throws {
        // An IdP-initiated assertion (signed, answering nothing) in an unsigned Response
        // whose envelope claims an outstanding request ID.
        let unsolicited = try response(inResponseTo: nil, signResponse: false, signAssertion: true).serialized()
        let dressedUp = unsolicited.replacingOccurrences(of: "<samlp:Response ", with: "<samlp:Response InResponseTo=\"_req\" ")
        #expect(throws: SAMLError(.samlInResponseToMismatch, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(SafeXMLParser.parse(dressedUp), expecting: expectations(allowUnsolicited: false))
        }
    }

    @Test func aSuccessWithoutAnAssertionIsRefused() throws {
        let xml = try SAMLResponseBuilder(clock: clock, random: SeededRandomSource(seed: 1)).build(
            SAMLResponseParameters(
                issuer: "idp.example", destination: Fixtures.acs, inResponseTo: "_req", audiences: ["sp.example"], recipient: Fixtures.acs,
                validity: 300, status: .success, assertion: nil,
                signing: SAMLSigningOptions(
                    credential: Fixtures.credential("server-rsa"), algorithm: .rsaSHA256, digest: .sha256, signResponse: true, signAssertion: false)))
        #expect(throws: SAMLError(.samlAssertionMissing, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(SafeXMLParser.parse(xml), expecting: expectations())
        }
    }

    /// A signed assertion about nobody (no Subject), in a Response around it.
    func responseAround(signedAssertion assertion: String) throws -> XMLDocument {
        let signed = try SafeXMLParser.parse(assertion)
        try XMLSigner(credential: Fixtures.credential("server-rsa"), algorithm: .rsaSHA256, digest: .sha256)
            .sign(signed.root, placeAfter: signed.root.firstChild("Issuer", XMLNamespace.saml))
        return try SafeXMLParser.parse("""
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-01-01T09:00:00Z" InResponseTo="_req"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\(signed.root.serialized())</samlp:Response>
            """)
    }

    @Test func anAssertionWithoutSubjectOrBearerConfirmationIsRefused() throws {
        let nobody = """
            <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-01-01T09:00:00Z"><saml:Issuer>idp.example</saml:Issuer><saml:Conditions><saml:AudienceRestriction><saml:Audience>sp.example</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion>
            """
        #expect(throws: SAMLError(.samlSubjectMissing, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(responseAround(signedAssertion: nobody), expecting: expectations())
        }
        // A Subject confirmed by holder-of-key only: no bearer confirmation for a browser to carry.
        let holderOfKey = """
            <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-01-01T09:00:00Z"><saml:Issuer>idp.example</saml:Issuer><saml:Subject><saml:NameID>alice</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"><saml:SubjectConfirmationData InResponseTo="_req" Recipient="https://sp.example/acs" NotOnOrAfter="2026-01-01T09:05:00Z"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions><saml:AudienceRestriction><saml:Audience>sp.example</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion>
            """
        #expect(throws: SAMLError(.samlSubjectMissing, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(responseAround(signedAssertion: holderOfKey), expecting: expectations())
        }
    }

    @Test func aBearerConfirmationWithoutExpiryIsRefused() throws {
        let assertion = """
            <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-01-01T09:00:00Z"><saml:Issuer>idp.example</saml:Issuer><saml:Subject><saml:NameID>alice</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="_req" Recipient="https://sp.example/acs"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions><saml:AudienceRestriction><saml:Audience>sp.example</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion>
            """
        let signed = try SafeXMLParser.parse(assertion)
        try XMLSigner(credential: Fixtures.credential("server-rsa"), algorithm: .rsaSHA256, digest: .sha256)
            .sign(signed.root, placeAfter: signed.root.firstChild("Issuer", XMLNamespace.saml))
        let document = """
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-01-01T09:00:00Z" InResponseTo="_req"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\(signed.root.serialized())</samlp:Response>
            """
        #expect(throws: SAMLError(.samlMalformed, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(SafeXMLParser.parse(document), expecting: expectations())
        }
    }

    @Test func anUnreadableTimeIsAnErrorNotAnAbsentCondition() throws {
        let text = try response(signResponse: false).serialized()
        let broken = text.replacingOccurrences(of: "IssueInstant=\"2026-01-01T09:00:00Z\" Destination", with: "IssueInstant=\"yesterday\" Destination")
        #expect(broken != text)
        #expect(throws: SAMLError(.samlMalformed, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(SafeXMLParser.parse(broken), expecting: expectations())
        }
    }

    @Test func anAssertionSwappedIntoASignedResponseFailsItsDigest() throws {
        let genuine = try response().serialized()
        let swapped = genuine.replacingOccurrences(of: ">alice<", with: ">admin<")
        #expect(throws: SAMLError(carrying: .signatureDigestMismatch, detail: "")) {
            try SAMLResponseValidator(clock: clock).validate(SafeXMLParser.parse(swapped), expecting: expectations())
        }
    }
}
