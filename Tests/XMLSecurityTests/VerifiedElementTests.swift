import Foundation
import IdentityCore
import Testing
@testable import XMLSecurity

/// The verifier returns the signed element itself, re-read from the bytes that were
/// hashed, so nothing outside the signature can reach the caller.
@Suite struct VerifiedElementTests {
    @Test func theVerifiedElementIsTheSignedAssertionNotTheDocument() throws {
        let assertionXML = """
            <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"><saml:Issuer>localhost</saml:Issuer><saml:Subject><saml:NameID>alice</saml:NameID></saml:Subject></saml:Assertion>
            """
        let signedAssertion = try signed(assertionXML, with: TestKeys.credential("server-rsa"))
        // Wrap: an attacker puts an unsigned assertion first and the signed one after it.
        let signedMarkup = signedAssertion.root.serialized()
        let wrapped = """
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r"><saml:Assertion ID="_evil"><saml:Subject><saml:NameID>admin</saml:NameID></saml:Subject></saml:Assertion>\(signedMarkup)</samlp:Response>
            """
        let document = try SafeXMLParser.parse(wrapped)
        let genuine = document.root.children("Assertion", XMLNamespace.saml)[1]
        let verified = try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(genuine)
        #expect(verified.element.localName == "Assertion")
        #expect(verified.element.attribute("ID") == "_a1")
        #expect(verified.element.text.contains("alice"))
        #expect(!verified.element.document.serialized().contains("admin"))
        // The signature is not part of what was verified.
        #expect(verified.element.firstChild("Signature", XMLNamespace.dsig) == nil)
    }

    @Test func aReferenceToAnotherElementIsRefused() throws {
        // Signed assertion moved under a Response whose own Signature references it.
        let document = try signed(with: TestKeys.credential("server-rsa"))
        let text = document.serialized().replacingOccurrences(of: "URI=\"#_r1\"", with: "URI=\"#_a1\"")
        #expect(throws: XMLSecurityError(.signatureReferenceNotEnveloping, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(text).root)
        }
    }

    @Test func anIDThatAppearsTwiceIsRefused() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        let text = document.serialized().replacingOccurrences(of: "ID=\"_a1\"", with: "ID=\"_r1\"")
        #expect(throws: XMLSecurityError(.signatureDuplicateID, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(text).root)
        }
    }

    @Test func aTransformOutsideTheProfileIsRefused() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        let text = document.serialized().replacingOccurrences(
            of: "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
            with: "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"/>")
        #expect(throws: XMLSecurityError(.signatureUnsupportedTransform, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(text).root)
        }
    }

    @Test func aCanonicalizationOrAlgorithmOutsideTheProfileIsRefused() throws {
        let serialized = try signed(with: TestKeys.credential("server-rsa")).serialized()
        let inclusive = serialized.replacingOccurrences(
            of: "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
            with: "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>")
        #expect(throws: XMLSecurityError(.signatureUnsupportedCanonicalization, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(inclusive).root)
        }
        let hmac = serialized.replacingOccurrences(
            of: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", with: "http://www.w3.org/2000/09/xmldsig#hmac-sha1")
        #expect(throws: XMLSecurityError(.signatureUnsupportedAlgorithm, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(hmac).root)
        }
    }

    @Test func aKeyThatIsNotAKeyIsRefused() {
        #expect(throws: XMLSecurityError(.keyMalformed, detail: "")) {
            try SigningCredential(keyPEM: "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", certificatePEM: TestKeys.text("server-rsa.crt"))
        }
    }

    @Test func aSecondReferenceIsRefused() throws {
        let document = try signed(with: TestKeys.credential("server-rsa"))
        let serialized = document.serialized()
        let start = serialized.range(of: "<ds:Reference")!.lowerBound
        let end = serialized.range(of: "</ds:Reference>")!.upperBound
        let reference = String(serialized[start..<end])
        let text = serialized.replacingCharacters(in: start..<end, with: reference + reference)
        #expect(throws: XMLSecurityError(.signatureMultipleReferences, detail: "")) {
            try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(SafeXMLParser.parse(text).root)
        }
    }

    @Test func aCommentInsideNameIDDoesNotTruncateTheVerifiedValue() throws {
        let xml = sampleResponse.replacingOccurrences(of: "alice@example.com", with: "alice@evil.com<!---->.example.com")
        let document = try signed(xml, with: TestKeys.credential("server-rsa"))
        let verified = try XMLSignatureVerifier(trusted: [TestKeys.trusted("server-rsa")]).verify(document.root)
        let nameID = verified.element.descendantsAndSelf().first { $0.localName == "NameID" }!
        #expect(nameID.text == "alice@evil.com.example.com")
    }
}
