import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

/// LogoutRequest and LogoutResponse (SAML core §3.7) and their processing at the IdP
/// (SA-10, SA-7).
@Suite struct LogoutMessageTests {
    let clock = FixedWallClock(Fixtures.now)
    var processor: LogoutRequestProcessor { LogoutRequestProcessor(sloServiceURLs: [Fixtures.ssoURL], clock: clock) }

    static func serviceProvider(singleLogout: Bool = true, validate: Bool = false) -> ServiceProvider {
        ServiceProvider(
            name: "sp", certificate: Fixtures.pem("sp-rsa.crt"),
            sections: [SAMLSettings(issuer: "sp.example", acsURLs: [Fixtures.acs], validateRequestSignatures: validate, singleLogout: singleLogout)])
    }

    func lookup(_ sp: ServiceProvider) -> (String) async throws -> SAMLServiceProvider? {
        { issuer in issuer == sp.saml?.issuer ? SAMLServiceProvider(sp) : nil }
    }

    func logoutRequest(issueInstant: Date = Fixtures.now, destination: String? = Fixtures.ssoURL, notOnOrAfter: Date? = nil) -> LogoutRequest {
        LogoutRequest(
            id: "_l1", issueInstant: issueInstant, issuer: "sp.example", destination: destination, nameID: "alice",
            nameIDFormat: NameIDFormat.unspecified.rawValue, sessionIndexes: ["s1", "s2"], notOnOrAfter: notOnOrAfter, reason: LogoutRequest.userReason)
    }

    func received(_ tree: XMLTree, parameter: String = "SAMLRequest", binding: SAMLBinding, signedWith key: String? = nil) throws -> ReceivedSAMLMessage {
        let signer = key.map { XMLSigner(credential: Fixtures.credential($0), algorithm: .rsaSHA256, digest: .sha256) }
        switch try OutgoingSAMLMessage.encode(tree, parameter: parameter, to: Fixtures.ssoURL, binding: binding, relayState: "rs", signer: signer) {
        case .redirect(let location):
            return try ReceivedSAMLMessage(.redirect(rawQuery: String(location.split(separator: "?", maxSplits: 1)[1])))
        case .post(let page):
            let value = { (name: String) in
                page.range(of: "name=\"\(name)\" value=\"").map { start in String(page[start.upperBound...].prefix { $0 != "\"" }) }
            }
            var form = ["RelayState": value("RelayState") ?? ""]
            form[parameter] = value(parameter)
            return try ReceivedSAMLMessage(.post(form: form))
        }
    }

    @Test func aLogoutRequestReadsBackAsWritten() throws {
        let request = logoutRequest(notOnOrAfter: Fixtures.now.addingTimeInterval(60))
        let parsed = try LogoutRequest(element: SafeXMLParser.parse(request.tree.serialized()).root)
        #expect(parsed == request)
    }

    @Test func aLogoutResponseCarriesPartialLogoutAsASecondLevelStatus() throws {
        let response = LogoutResponse(
            id: "_r", issueInstant: Fixtures.now, issuer: "idp", destination: Fixtures.acs, inResponseTo: "_l1", status: LogoutResponse.partialLogout)
        let parsed = try LogoutResponse(element: SafeXMLParser.parse(response.tree.serialized()).root)
        #expect(parsed == response)
        #expect(parsed.status.shortForm == "Success/PartialLogout")
    }

    @Test func aLogoutRequestWithoutNameIDOrWithAnEncryptedOneIsRefused() throws {
        let xml = """
            <samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
            ID="_x" Version="2.0" IssueInstant="2026-01-01T09:00:00Z"><saml:Issuer>sp.example</saml:Issuer><saml:EncryptedID/></samlp:LogoutRequest>
            """
        #expect(throws: SAMLError(.samlSubjectMissing, detail: "")) { try LogoutRequest(element: SafeXMLParser.parse(xml).root) }
    }

    @Test(arguments: SAMLBinding.allCases)
    func aValidLogoutRequestIsAcceptedInEitherBinding(binding: SAMLBinding) async throws {
        let validated = try await processor.process(
            received(logoutRequest().tree, binding: binding, signedWith: "sp-rsa"), lookup: lookup(Self.serviceProvider(validate: true)))
        #expect(validated.request.nameID == "alice")
        #expect(validated.request.sessionIndexes == ["s1", "s2"])
        #expect(validated.binding == binding)
        #expect(validated.relayState == "rs")
    }

    @Test func anUnsignedLogoutRequestIsRefusedWhenTheSPRequiresSignatures() async throws {
        await #expect(throws: SAMLError(.samlSignatureRequired, detail: "")) {
            try await processor.process(received(logoutRequest().tree, binding: .redirect), lookup: lookup(Self.serviceProvider(validate: true)))
        }
    }

    @Test func aLogoutRequestSignedWithAnotherKeyIsRefused() async throws {
        await #expect(throws: SAMLError(carrying: .samlQuerySignatureInvalid, detail: "")) {
            try await processor.process(
                received(logoutRequest().tree, binding: .redirect, signedWith: "attacker-rsa"), lookup: lookup(Self.serviceProvider(validate: true)))
        }
    }

    @Test func aStaleExpiredOrMisaddressedLogoutRequestIsRefused() async throws {
        let sp = Self.serviceProvider()
        await #expect(throws: SAMLError(.samlRequestExpired, detail: "")) {
            try await processor.process(
                received(logoutRequest(issueInstant: Fixtures.now.addingTimeInterval(-3600)).tree, binding: .post), lookup: lookup(sp))
        }
        await #expect(throws: SAMLError(.samlRequestExpired, detail: "")) {
            try await processor.process(
                received(logoutRequest(notOnOrAfter: Fixtures.now.addingTimeInterval(-120)).tree, binding: .post), lookup: lookup(sp))
        }
        await #expect(throws: SAMLError(.samlDestinationMismatch, detail: "")) {
            try await processor.process(received(logoutRequest(destination: "https://elsewhere/slo").tree, binding: .post), lookup: lookup(sp))
        }
    }

    @Test func anSPWithSingleLogoutOffCannotStartOne() async throws {
        await #expect(throws: SAMLError(.samlSingleLogoutDisabled, detail: "")) {
            try await processor.process(received(logoutRequest().tree, binding: .redirect), lookup: lookup(Self.serviceProvider(singleLogout: false)))
        }
    }

    @Test func aLogoutResponseMustAnswerTheOutstandingRequestFromItsIssuer() throws {
        let answer = LogoutResponse(
            id: "_r", issueInstant: Fixtures.now, issuer: "sp.example", destination: Fixtures.ssoURL, inResponseTo: "_l1", status: .success)
        let message = try received(answer.tree, parameter: "SAMLResponse", binding: .post, signedWith: "sp-rsa")
        let trusted = [Fixtures.trusted("sp-rsa")]
        let accepted = try LogoutRequestProcessor.response(message, from: "sp.example", trusted: trusted, answering: "_l1", addressedTo: [Fixtures.ssoURL])
        #expect(accepted.response.status.isSuccess)
        #expect(accepted.signature == .valid)
        #expect(throws: SAMLError(.samlInResponseToMismatch, detail: "")) {
            try LogoutRequestProcessor.response(message, from: "sp.example", trusted: trusted, answering: "_other", addressedTo: [Fixtures.ssoURL])
        }
        #expect(throws: SAMLError(.samlIssuerMismatch, detail: "")) {
            try LogoutRequestProcessor.response(message, from: "other.example", trusted: trusted, answering: "_l1", addressedTo: [Fixtures.ssoURL])
        }
        let forged = try received(answer.tree, parameter: "SAMLResponse", binding: .post, signedWith: "attacker-rsa")
        #expect(throws: SAMLError.self) {
            try LogoutRequestProcessor.response(forged, from: "sp.example", trusted: trusted, answering: "_l1", addressedTo: [Fixtures.ssoURL])
        }
    }

    /// Federated logout: a LogoutRequest from the IdP is always required to be signed by
    /// it, whichever binding carried it.
    @Test(arguments: SAMLBinding.allCases)
    func anIdentityProvidersLogoutRequestMustBeSignedByItAndFromIt(binding: SAMLBinding) throws {
        let trusted = [Fixtures.trusted("idp-rsa")]
        let request = logoutRequest()  // issuer sp.example: here the IdP's entity ID
        let accepted = try processor.fromIdentityProvider(
            received(request.tree, binding: binding, signedWith: "idp-rsa"), issuer: "sp.example", trusted: trusted)
        #expect(accepted.nameID == "alice")
        #expect(accepted.sessionIndexes == ["s1", "s2"])
        #expect(throws: SAMLError(.samlSignatureRequired, detail: "")) {
            try processor.fromIdentityProvider(received(request.tree, binding: binding), issuer: "sp.example", trusted: trusted)
        }
        #expect(throws: SAMLError.self) {
            try processor.fromIdentityProvider(received(request.tree, binding: binding, signedWith: "attacker-rsa"), issuer: "sp.example", trusted: trusted)
        }
        #expect(throws: SAMLError(.samlIssuerMismatch, detail: "")) {
            try processor.fromIdentityProvider(received(request.tree, binding: binding, signedWith: "idp-rsa"), issuer: "other.example", trusted: trusted)
        }
        #expect(throws: SAMLError(.samlDestinationMismatch, detail: "")) {
            try processor.fromIdentityProvider(
                received(logoutRequest(destination: "https://elsewhere/slo").tree, binding: binding, signedWith: "idp-rsa"), issuer: "sp.example",
                trusted: trusted)
        }
    }

    @Test func theReceivedMessageSaysWhichKindItIs() throws {
        #expect(try received(logoutRequest().tree, binding: .redirect).kind == "LogoutRequest")
        #expect(throws: SAMLError(.samlMessageMissing, detail: "")) { try ReceivedSAMLMessage(.post(form: ["RelayState": "x"])) }
    }

    @Test func settingsNameTheSLOBindingByShortNameAndFallBackToTheACS() throws {
        let settings = try JSONDecoder().decode(
            SAMLSettings.self, from: Data(#"{"issuer": "sp", "acsURLs": ["https://sp/acs"], "singleLogout": true, "sloBinding": "redirect"}"#.utf8))
        #expect(settings.sloBinding == .redirect)
        #expect(settings.effectiveSLORequestURL == "https://sp/acs")
        #expect(settings.effectiveSLOResponseURL == "https://sp/acs")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SAMLSettings.self, from: Data(#"{"issuer": "sp", "acsURLs": [], "sloBinding": "artifact"}"#.utf8))
        }
    }
}
