import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

/// The staged processing of AuthnRequests (SA-1, SA-3, SA-7).
@Suite struct AuthnRequestProcessorTests {
    let clock = FixedWallClock(Fixtures.now)
    var processor: AuthnRequestProcessor { AuthnRequestProcessor(ssoServiceURLs: [Fixtures.ssoURL], clock: clock) }

    func request(acs: String? = nil, issuer: String = "sp.example", destination: String? = Fixtures.ssoURL) -> AuthnRequest {
        AuthnRequest(id: "_r1", issueInstant: Fixtures.now, issuer: issuer, destination: destination, assertionConsumerServiceURL: acs)
    }

    func lookup(_ sp: ServiceProvider) -> (String) async throws -> SAMLServiceProvider? {
        { issuer in issuer == sp.saml?.issuer ? SAMLServiceProvider(sp) : nil }
    }

    func signedPOST(_ request: AuthnRequest, with key: String) throws -> IncomingSAMLMessage {
        let document = try SafeXMLParser.parse(request.tree.serialized())
        try XMLSigner(credential: Fixtures.credential(key), algorithm: .rsaSHA256, digest: .sha256)
            .sign(document.root, placeAfter: document.root.firstChild("Issuer", XMLNamespace.saml))
        return .post(form: ["SAMLRequest": Data(document.serialized().utf8).base64EncodedString()])
    }

    func redirect(_ request: AuthnRequest, signedWith key: String? = nil) throws -> IncomingSAMLMessage {
        .redirect(
            rawQuery: try RedirectBinding.encode(
                request.tree.serialized(), parameter: "SAMLRequest", relayState: "rs",
                signer: key.map { (Fixtures.credential($0).key, .rsaSHA256) }))
    }

    @Test func anUnknownIssuerIsRefused() async throws {
        await #expect(throws: SAMLError(.samlIssuerUnknown, detail: "")) {
            try await processor.process(try redirect(request(issuer: "nobody")), lookup: lookup(Fixtures.serviceProvider()))
        }
    }

    /// Responses go by HTTP-POST only; a request for the Artifact binding (or any other)
    /// is refused rather than answered by a binding it did not ask for.
    @Test func aResponseBindingOtherThanPOSTIsRefused() async throws {
        let artifact = AuthnRequest(
            id: "_r1", issueInstant: Fixtures.now, issuer: "sp.example", destination: Fixtures.ssoURL,
            protocolBinding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact")
        await #expect(throws: SAMLError(.samlBindingUnsupported, detail: "")) {
            try await processor.process(try redirect(artifact), lookup: lookup(Fixtures.serviceProvider()))
        }
    }

    @Test func aServiceProviderWithoutAnyACSURLCannotBeAnswered() async throws {
        let bare = ServiceProvider(name: "bare", sections: [SAMLSettings(issuer: "sp.example", acsURLs: [])])
        await #expect(throws: SAMLError(.samlNoACSConfigured, detail: "")) {
            try await processor.process(try redirect(request()), lookup: lookup(bare))
        }
    }

    @Test func aSignedPOSTRequestWithAnUnregisteredACSIsHonoured() async throws {
        let validated = try await processor.process(
            try signedPOST(request(acs: "https://elsewhere/acs"), with: "sp-rsa"), lookup: lookup(Fixtures.serviceProvider()))
        #expect(validated.signature == .valid)
        #expect(validated.acs == ACSChoice(url: "https://elsewhere/acs", reason: .signedRequest))
    }

    @Test func aForgedPOSTSignatureDoesNotVouchForAnACS() async throws {
        await #expect(throws: SAMLError(.samlACSNotRegistered, detail: "")) {
            try await processor.process(
                try signedPOST(request(acs: "https://elsewhere/acs"), with: "attacker-rsa"), lookup: lookup(Fixtures.serviceProvider()))
        }
    }

    @Test func aSignatureCannotVouchWithoutAnApplicationCertificate() async throws {
        await #expect(throws: SAMLError(.samlACSNotRegistered, detail: "")) {
            try await processor.process(
                try redirect(request(acs: "https://elsewhere/acs"), signedWith: "sp-rsa"),
                lookup: lookup(Fixtures.serviceProvider(certificate: false)))
        }
    }

    @Test func withValidationOnAnUnsignedRequestIsRefusedAndASignedOneAccepted() async throws {
        let sp = Fixtures.serviceProvider(validate: true)
        await #expect(throws: SAMLError(.samlSignatureRequired, detail: "")) {
            try await processor.process(try redirect(request()), lookup: lookup(sp))
        }
        await #expect(throws: SAMLError(.samlQuerySignatureInvalid, detail: "")) {
            try await processor.process(try redirect(request(), signedWith: "attacker-rsa"), lookup: lookup(sp))
        }
        let validated = try await processor.process(try redirect(request(), signedWith: "sp-rsa"), lookup: lookup(sp))
        #expect(validated.relayState == "rs")
        #expect(validated.acs.reason == .default)
    }

    @Test func aStaleOrFutureRequestIsRefused() async throws {
        let sp = Fixtures.serviceProvider()
        clock.set(Fixtures.now.addingTimeInterval(301))
        await #expect(throws: SAMLError(.samlRequestExpired, detail: "")) { try await processor.process(try redirect(request()), lookup: lookup(sp)) }
        clock.set(Fixtures.now.addingTimeInterval(-61))
        await #expect(throws: SAMLError(.samlRequestExpired, detail: "")) { try await processor.process(try redirect(request()), lookup: lookup(sp)) }
        clock.set(Fixtures.now.addingTimeInterval(299))
        _ = try await processor.process(try redirect(request()), lookup: lookup(sp))
    }

    @Test func aSignedRequestCannotVouchForANonHTTPACS() async throws {
        await #expect(throws: SAMLError(.samlACSInvalid, detail: "")) {
            try await processor.process(try signedPOST(request(acs: "javascript:alert(1)"), with: "sp-rsa"), lookup: lookup(Fixtures.serviceProvider()))
        }
    }

    @Test func aDestinationOtherThanThisServerIsRefused() async throws {
        await #expect(throws: SAMLError(.samlDestinationMismatch, detail: "")) {
            try await processor.process(try redirect(request(destination: "https://other-idp/sso")), lookup: lookup(Fixtures.serviceProvider()))
        }
    }

    @Test func theRequestIsReadFromTheSignedElementNotTheDocument() async throws {
        // Sign a request for a registered ACS, then wrap it: a second, unsigned AuthnRequest
        // asking for an attacker's ACS becomes the document root.
        let document = try SafeXMLParser.parse(request(acs: Fixtures.acs).tree.serialized())
        try XMLSigner(credential: Fixtures.credential("sp-rsa"), algorithm: .rsaSHA256, digest: .sha256)
            .sign(document.root, placeAfter: document.root.firstChild("Issuer", XMLNamespace.saml))
        let signed = document.root.serialized()
        let wrapped = """
            <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_evil" Version="2.0" IssueInstant="2026-01-01T09:00:00Z" AssertionConsumerServiceURL="https://evil/acs"><saml:Issuer>sp.example</saml:Issuer><samlp:Extensions>\(signed)</samlp:Extensions></samlp:AuthnRequest>
            """
        await #expect(throws: SAMLError(.samlACSNotRegistered, detail: "")) {
            try await processor.process(
                .post(form: ["SAMLRequest": Data(wrapped.utf8).base64EncodedString()]), lookup: lookup(Fixtures.serviceProvider()))
        }
    }
}
