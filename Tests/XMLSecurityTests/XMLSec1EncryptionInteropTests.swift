import Foundation
import IdentityCore
import MockSupport
import Testing
@testable import XMLSecurity

/// SA-8's cross-check with xmlsec1, the reference XML Encryption implementation: what we
/// encrypt it decrypts (and the signature inside still verifies), what it encrypts we
/// decrypt, for every data algorithm SAML SPs use with RSA-OAEP (MGF1-SHA1) — the key
/// transport xmlsec1 1.2 offers. A changed byte of ciphertext is refused.
@Suite(.enabled(if: XMLSec1.isInstalled, "xmlsec1 is not installed: apt-get install -y xmlsec1"))
struct XMLSec1EncryptionInteropTests {
    static let algorithms: [DataEncryptionAlgorithm] = [.aes128CBC, .aes256CBC, .aes128GCM, .aes256GCM]

    static let assertion = """
        <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_enc1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example</saml:Issuer><saml:Subject><saml:NameID>alice@example.com</saml:NameID></saml:Subject></saml:Assertion>
        """

    /// A Response around `inner`, in the shape an SP receives.
    static func response(_ inner: String) -> String {
        """
        <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://idp.example</saml:Issuer><saml:EncryptedAssertion>\(inner)</saml:EncryptedAssertion></samlp:Response>
        """
    }

    @Test(arguments: algorithms)
    func xmlsec1DecryptsWhatWeEncrypt(_ algorithm: DataEncryptionAlgorithm) throws {
        let document = try SafeXMLParser.parse(Self.assertion)
        try XMLSigner(credential: TestKeys.credential("server-rsa"), algorithm: .rsaSHA256, digest: .sha256).sign(document.root)
        let encryptor = XMLEncryptor(recipient: try EncryptionRecipient(pem: TestKeys.text("sp-rsa.crt")), data: algorithm, keyTransport: .rsaOAEPMGF1P)
        let sealed = Self.response(try encryptor.encryptedData(for: Array(document.root.serialized().utf8)).serialized())
        #expect(!sealed.contains("alice@example.com"))

        let opened = try XMLSec1.decrypt(sealed, key: "sp-rsa")
        #expect(opened.succeeded, "xmlsec1 could not decrypt: \(opened.output)")
        #expect(opened.output.contains("<saml:NameID>alice@example.com</saml:NameID>"))
        // Signed, then encrypted: the signature still verifies after xmlsec1 decrypted it.
        let verified = try XMLSec1.verify(opened.output, certificate: "server-rsa.crt", idAttributeOf: "urn:oasis:names:tc:SAML:2.0:assertion:Assertion")
        #expect(verified.succeeded, "xmlsec1 refused the decrypted assertion's signature: \(verified.output)")

        #expect(!(try XMLSec1.decrypt(sealed, key: "attacker-rsa").succeeded), "xmlsec1 decrypted with a key it was not encrypted for")
    }

    @Test(arguments: algorithms)
    func weDecryptWhatXMLSec1Encrypts(_ algorithm: DataEncryptionAlgorithm) throws {
        let template = """
            <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="\(algorithm.uri)"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="\(KeyTransportAlgorithm.mgf1pURI)"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>
            """
        // xmlsec1 serializes the element without the `saml:` declaration it inherits:
        // decryption must parse it in the EncryptedData's context.
        let inherited = Self.assertion.replacingOccurrences(of: " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"", with: "")
        let sealed = try XMLSec1.encrypt(
            Self.response(inherited), node: "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", template: template,
            sessionKey: "aes-\(algorithm.keyBytes * 8)", certificate: "sp-rsa.crt")
        #expect(!sealed.contains("alice@example.com"))

        let decryptor = try XMLDecryptor(credential: TestKeys.credential("sp-rsa"))
        let encryptedData = try #require(try Self.encryptedData(in: sealed))
        let opened = try decryptor.open(encryptedData)
        #expect(opened.data == algorithm)
        #expect(opened.keyTransport == .rsaOAEPMGF1P)
        #expect(opened.element.is("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion"))
        #expect(opened.element.firstChild("Subject", XMLNamespace.saml)?.firstChild("NameID", XMLNamespace.saml)?.text == "alice@example.com")

        // One changed character of the content's ciphertext, and someone else's key: the same refusal.
        let tampered = CiphertextTampering.changeOneCharacter(in: sealed)
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) { try decryptor.open(try #require(try Self.encryptedData(in: tampered))) }
        let stranger = try XMLDecryptor(credential: TestKeys.credential("attacker-rsa"))
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) { try stranger.open(encryptedData) }
    }

    static func encryptedData(in response: String) throws -> XMLElement? {
        try SafeXMLParser.parse(response).root.firstChild("EncryptedAssertion", XMLNamespace.saml)?
            .firstChild("EncryptedData", XMLEncryptionNamespace.xenc)
    }

}
