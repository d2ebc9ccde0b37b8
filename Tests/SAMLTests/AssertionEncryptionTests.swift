import Foundation
import IdentityCore
import MockSupport
import SAML
import Testing
import XMLSecurity

/// SA-8: the server's Response builder encrypts the signed assertion for the SP, and the
/// careful SP's validator (the mock SP's, the broker's) opens it and then treats it exactly
/// as a plaintext one — and refuses everything a hostile IdP could do with encryption.
@Suite struct AssertionEncryptionTests {
    let clock = FixedWallClock(Fixtures.now)

    func response(
        data: DataEncryptionAlgorithm = .aes256GCM, keyTransport: KeyTransportAlgorithm = .rsaOAEPMGF1P, recipient: String = "sp-rsa",
        signResponse: Bool = false, signAssertion: Bool = true, audiences: [String] = ["sp.example"]
    ) throws -> String {
        try SAMLResponseBuilder(clock: clock, random: SeededRandomSource(seed: 1)).build(
            SAMLResponseParameters(
                issuer: "idp.example", destination: Fixtures.acs, inResponseTo: "_req", audiences: audiences, recipient: Fixtures.acs,
                validity: 300, status: .success,
                assertion: SAMLAssertionContent(
                    nameID: "alice", nameIDFormat: NameIDFormat.persistent.rawValue,
                    attributes: [SAMLAttribute(name: "email", values: ["alice@example.com"])], authnInstant: Fixtures.now, sessionIndex: "_s1"),
                signing: SAMLSigningOptions(
                    credential: Fixtures.credential("server-rsa"), algorithm: .rsaSHA256, digest: .sha256, signResponse: signResponse,
                    signAssertion: signAssertion),
                encryption: XMLEncryptor(recipient: try EncryptionRecipient(pem: Fixtures.pem("\(recipient).crt")), data: data, keyTransport: keyTransport)))
    }

    func expectations(key: String? = "sp-rsa", acceptsUnauthenticatedCBC: Bool = false) throws -> SAMLResponseValidator.Expectations {
        .init(
            idpEntityID: "idp.example", trusted: [Fixtures.trusted("server-rsa")], audience: "sp.example", acsURL: Fixtures.acs,
            outstandingRequestIDs: ["_req"], allowUnsolicited: false, decryptor: try key.map { try XMLDecryptor(credential: Fixtures.credential($0)) },
            acceptsUnauthenticatedCBC: acceptsUnauthenticatedCBC)
    }

    func validate(_ xml: String, key: String? = "sp-rsa", acceptsUnauthenticatedCBC: Bool = false) throws -> ValidatedSAMLResponse {
        try SAMLResponseValidator(clock: clock).validate(
            SafeXMLParser.parse(xml), expecting: expectations(key: key, acceptsUnauthenticatedCBC: acceptsUnauthenticatedCBC))
    }

    @Test(arguments: DataEncryptionAlgorithm.allCases, KeyTransportAlgorithm.allCases)
    func theSPDecryptsEveryAlgorithmPairAndReadsTheSignedAssertion(data: DataEncryptionAlgorithm, keyTransport: KeyTransportAlgorithm) throws {
        // CBC only inside a signed Response (see cbcIsOpenedOnlyUnderAResponseSignature).
        let xml = try response(data: data, keyTransport: keyTransport, signResponse: !data.isGCM)
        #expect(!xml.contains("alice"), "the NameID travels in the clear")
        #expect(!xml.contains("<saml:Assertion"))
        let validated = try validate(xml)
        #expect(validated.assertionEncryption == AssertionEncryption(data: data, keyTransport: keyTransport))
        #expect(validated.assertionSignature?.algorithm == .rsaSHA256)
        #expect(validated.assertion?.nameID == "alice")
        #expect(validated.assertion?.attributes == [SAMLAttribute(name: "email", values: ["alice@example.com"])])
    }

    /// CBC does not authenticate: without a Response signature a changed ciphertext would
    /// make the SP a timing oracle, and a GCM assertion relabelled CBC would reach it too.
    @Test func cbcIsOpenedOnlyUnderAResponseSignature() throws {
        let unsigned = try response(data: .aes256CBC)
        #expect(throws: SAMLError(carrying: .decryptionFailed, detail: "")) { try validate(unsigned) }
        #expect(try validate(unsigned, acceptsUnauthenticatedCBC: true).assertion?.nameID == "alice")
        #expect(try validate(response(data: .aes256CBC, signResponse: true)).assertion?.nameID == "alice")

        let relabelled = try response(data: .aes256GCM).replacingOccurrences(
            of: DataEncryptionAlgorithm.aes256GCM.uri, with: DataEncryptionAlgorithm.aes256CBC.uri)
        #expect(throws: SAMLError(carrying: .decryptionFailed, detail: "")) { try validate(relabelled) }
    }

    @Test func aSignedResponseCoversTheEncryptedAssertion() throws {
        let xml = try response(signResponse: true, signAssertion: false)
        let validated = try validate(xml)
        #expect(validated.responseSignature != nil)
        #expect(validated.assertionSignature == nil)
        #expect(validated.assertion?.nameID == "alice")
        // A signed Response vouches for the ciphertext: a changed byte is a digest mismatch.
        #expect(throws: SAMLError(carrying: .signatureDigestMismatch, detail: "")) { try validate(Self.tampered(xml)) }
    }

    @Test func decryptedContentIsCheckedLikePlaintext() throws {
        #expect(throws: SAMLError(.samlAudienceMismatch, detail: "")) { try validate(response(audiences: ["other.example"])) }
    }

    /// Without a Response signature every failure, from the key to the assertion's
    /// signature, is one code: no padding or parsing oracle.
    @Test func everyFailureOfAnUnsignedResponseIsOneCode() throws {
        let refusals: [(String, String?)] = [
            (try response(recipient: "attacker-rsa"), "sp-rsa"),  // encrypted for another key
            (try response(), "attacker-rsa"),  // opened with another key
            (try response(), nil),  // this party has no key
            (Self.tampered(try response(data: .aes256CBC)), "sp-rsa"),  // CBC: no integrity of its own, refused unsigned
            (Self.tampered(try response(data: .aes128GCM)), "sp-rsa"),
            (try response(signAssertion: false), "sp-rsa"),  // encrypted, and nothing signed
            (try response().replacingOccurrences(of: KeyTransportAlgorithm.mgf1pURI, with: "http://www.w3.org/2001/04/xmlenc#rsa-1_5"), "sp-rsa"),
        ]
        for (xml, key) in refusals {
            #expect(throws: SAMLError(carrying: .decryptionFailed, detail: "")) { try validate(xml, key: key) }
        }
    }

    @Test func anEncryptedAssertionBesideAPlaintextOneIsRefused() throws {
        let encrypted = try response()
        let plain = try ResponseValidationTests().response(signResponse: false)
        let assertion = try #require(plain.root.firstChild("Assertion", XMLNamespace.saml)).serialized()
        let both = encrypted.replacingOccurrences(of: "</saml:EncryptedAssertion>", with: "</saml:EncryptedAssertion>" + assertion)
        #expect(throws: SAMLError(.samlAssertionMultiple, detail: "")) { try validate(both) }
    }

    @Test func anEncryptionCertificateWithoutAnRSAKeyIsRefused() throws {
        #expect(throws: XMLSecurityError(.certificateMalformed, detail: "")) { try EncryptionRecipient(pem: Fixtures.pem("server-ec.crt")) }
    }

    static func tampered(_ xml: String) -> String { CiphertextTampering.changeOneCharacter(in: xml) }
}

/// The decryptor's own refusals, below the SAML layer: each one code, whatever the cause.
@Suite struct DecryptorRefusalTests {
    func sealed(_ data: DataEncryptionAlgorithm = .aes128CBC) throws -> XMLDocument {
        let encryptor = XMLEncryptor(recipient: try EncryptionRecipient(pem: Fixtures.pem("sp-rsa.crt")), data: data, keyTransport: .rsaOAEPMGF1P)
        return try SafeXMLParser.parse(try encryptor.encryptedData(for: Array("<a xmlns=\"urn:x\">secret</a>".utf8)).serialized())
    }

    @Test func badCBCPaddingIsTheSameRefusalAsAWrongKey() throws {
        let decryptor = try XMLDecryptor(credential: Fixtures.credential("sp-rsa"))
        #expect(try decryptor.open(sealed().root).element.text == "secret")
        // The last block changed: its padding count becomes garbage.
        let text = CiphertextTampering.changeOneCharacter(in: try sealed().serialized(), fromEnd: 3)
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) { try decryptor.open(SafeXMLParser.parse(text).root) }
        let stranger = try XMLDecryptor(credential: Fixtures.credential("attacker-rsa"))
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) { try stranger.open(sealed().root) }
    }

    @Test func moreThanFourEncryptedKeysAreNotTried() throws {
        let document = try sealed(.aes128GCM)
        let key = try #require(document.root.firstChild("KeyInfo", XMLNamespace.dsig)?.firstChild("EncryptedKey", XMLEncryptionNamespace.xenc))
        let decryptor = try XMLDecryptor(credential: Fixtures.credential("sp-rsa"))
        #expect(try decryptor.open(document.root, siblingKeys: Array(repeating: key, count: 3)).element.text == "secret")
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) {
            try decryptor.open(document.root, siblingKeys: Array(repeating: key, count: 4))
        }
    }

    @Test func anAlgorithmTheCallerDoesNotAllowIsRefusedBeforeAnyKeyIsTried() throws {
        let decryptor = try XMLDecryptor(credential: Fixtures.credential("sp-rsa"))
        #expect(throws: XMLSecurityError(.decryptionFailed, detail: "")) {
            try decryptor.open(sealed(.aes128CBC).root, allowed: [.aes128GCM])
        }
    }
}

/// Responses whose assertion xmlsec1 encrypted (AES-GCM, RSA-OAEP) for the SP key, kept as
/// files (`Tests/Fuzz/Seeds/saml`, also the fuzzer's seeds) so this check needs no xmlsec1:
/// the validator opens them, verifies the assertion's own signature (the IdP's, made before
/// encryption) and reads the person. An unsigned Response around them is fine: GCM
/// authenticates, and the assertion is signed.
@Suite struct XMLSec1EncryptedResponseTests {
    static let seeds = Fixtures.keys.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fuzz/Seeds/saml")

    @Test(arguments: ["aes128-gcm", "aes256-gcm"])
    func aResponseXMLSec1EncryptedIsAcceptedAfterItsAssertionSignatureVerifies(_ algorithm: String) throws {
        let xml = try String(contentsOf: Self.seeds.appendingPathComponent("xmlsec1-encrypted-\(algorithm).xml"), encoding: .utf8)
        let validated = try SAMLResponseValidator(clock: FixedWallClock(Fixtures.now)).validate(
            SafeXMLParser.parse(xml),
            expecting: .init(
                idpEntityID: "https://partner-idp.example/saml", trusted: [Fixtures.trusted("idp-rsa")], audience: "https://identity-server.example/sp",
                acsURL: "https://identity-server.example/commonauth", outstandingRequestIDs: ["_request-1"], allowUnsolicited: false,
                decryptor: try XMLDecryptor(credential: Fixtures.credential("sp-rsa"))))
        #expect(validated.assertionEncryption?.data.rawValue == algorithm)
        #expect(validated.assertionSignature != nil)
        #expect(validated.assertion?.nameID == "alice@example.com")
    }
}
