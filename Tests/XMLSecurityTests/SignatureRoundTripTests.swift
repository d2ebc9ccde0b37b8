import Foundation
import IdentityCore
import Testing
@testable import XMLSecurity

let sampleResponse = """
    <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>localhost</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>localhost</saml:Issuer><saml:Subject><saml:NameID>alice@example.com</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>
    """

func signed(_ xml: String = sampleResponse, with credential: SigningCredential, _ algorithm: SignatureAlgorithm = .rsaSHA256,
            digest: DigestAlgorithm = .sha256) throws -> XMLDocument {
    let document = try SafeXMLParser.parse(xml)
    let issuer = document.root.firstChild("Issuer", XMLNamespace.saml)
    try XMLSigner(credential: credential, algorithm: algorithm, digest: digest).sign(document.root, placeAfter: issuer)
    return try SafeXMLParser.parse(document.serialized())
}

@Suite struct SignatureRoundTripTests {
    @Test(arguments: [
        ("server-rsa", SignatureAlgorithm.rsaSHA1, DigestAlgorithm.sha1),
        ("server-rsa", .rsaSHA256, .sha256),
        ("server-rsa", .rsaSHA384, .sha384),
        ("server-rsa", .rsaSHA512, .sha512),
        ("server-ec", .ecdsaSHA256, .sha256),
        ("server-ec", .ecdsaSHA384, .sha384),
        ("server-ec", .ecdsaSHA512, .sha1),
    ])
    func aSignedResponseVerifiesWithTheSignersCertificate(key: String, algorithm: SignatureAlgorithm, digest: DigestAlgorithm) throws {
        let document = try signed(with: TestKeys.credential(key), algorithm, digest: digest)
        let verified = try XMLSignatureVerifier(trusted: [TestKeys.trusted(key)]).verify(document.root)
        #expect(verified.algorithm == algorithm)
        #expect(verified.digest == digest)
        #expect(verified.element.localName == "Response")
    }

    @Test func theSignatureIsPlacedAfterTheIssuer() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        #expect(document.root.children.map(\.localName) == ["Issuer", "Signature", "Status", "Assertion"])
    }

    @Test func changingOneCharacterOfSignedContentIsADigestMismatch() throws {
        let text = try signed(with: TestKeys.credential("server-rsa")).serialized()
            .replacingOccurrences(of: "alice@example.com", with: "alicf@example.com")
        let document = try SafeXMLParser.parse(text)
        #expect(throws: XMLSecurityError(.signatureDigestMismatch, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(document.root)
        }
    }

    @Test func aSignatureByAnotherKeyIsUntrusted() throws {
        let document = try signed(with: TestKeys.credential("attacker-rsa"))
        #expect(throws: XMLSecurityError(.signatureUntrustedKey, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(document.root)
        }
    }

    @Test func aTamperedSignatureValueIsABadSignatureValue() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        let value = document.root.firstChild("Signature", XMLNamespace.dsig)!.firstChild("SignatureValue", XMLNamespace.dsig)!
        var bytes = Array(Data(base64Encoded: value.text)!)
        bytes[10] ^= 0x01
        value.setText(Data(bytes).base64EncodedString())
        #expect(throws: XMLSecurityError(.signatureBadValue, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(document.root)
        }
    }

    @Test func anRSASignatureIsNotVerifiedWithOnlyAnECCertificateConfigured() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        #expect(throws: XMLSecurityError(.signatureUntrustedKey, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-ec")]).verify(document.root)
        }
    }

    @Test func anUnsignedElementReportsTheMissingSignature() throws {
        let document = try SafeXMLParser.parse(sampleResponse)
        #expect(throws: XMLSecurityError(.signatureMissing, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(document.root)
        }
    }
}
