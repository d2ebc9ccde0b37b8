import Foundation
import IdentityCore
import Testing
@testable import XMLSecurity

/// Cross-checks with xmlsec1, the reference XML-DSig implementation: what we sign it
/// verifies, what it signs we verify, and a one-byte change fails in both.
///
/// Without xmlsec1 these tests are skipped with the command to install it; under
/// `CI=true` the `xmlsec1IsInstalledWhereCIRuns` test fails instead, so CI cannot pass
/// without the cross-check.
@Suite(.enabled(if: XMLSec1.isInstalled, "xmlsec1 is not installed: apt-get install -y xmlsec1"))
struct XMLSec1InteropTests {
    static let cases: [(String, SignatureAlgorithm, DigestAlgorithm)] = [
        ("server-rsa", .rsaSHA1, .sha1), ("server-rsa", .rsaSHA256, .sha256), ("server-rsa", .rsaSHA384, .sha384),
        ("server-rsa", .rsaSHA512, .sha512), ("server-ec", .ecdsaSHA256, .sha256), ("server-ec", .ecdsaSHA384, .sha384),
        ("server-ec", .ecdsaSHA512, .sha512),
    ]

    @Test(arguments: cases)
    func xmlsec1VerifiesWhatWeSign(key: String, algorithm: SignatureAlgorithm, digest: DigestAlgorithm) throws {
        let document = try signed(with: TestKeys.credential(key), algorithm, digest: digest)
        let result = try XMLSec1.verify(document.serialized(), certificate: "\(key).crt")
        #expect(result.succeeded, "xmlsec1 refused our signature: \(result.output)")

        let tampered = document.serialized().replacingOccurrences(of: "alice@example.com", with: "alicf@example.com")
        #expect(!(try XMLSec1.verify(tampered, certificate: "\(key).crt").succeeded), "xmlsec1 accepted a changed document")
    }

    @Test(arguments: cases)
    func weVerifyWhatXMLSec1Signs(key: String, algorithm: SignatureAlgorithm, digest: DigestAlgorithm) throws {
        let signedText = try XMLSec1.sign(template(algorithm: algorithm, digest: digest), key: key)
        let verifier = try XMLSignatureVerifier(trusted: [TestKeys.trusted(key)])
        let verified = try verifier.verify(SafeXMLParser.parse(signedText).root)
        #expect(verified.algorithm == algorithm)
        #expect(verified.element.text.contains("alice@example.com"))

        let tampered = signedText.replacingOccurrences(of: "alice@example.com", with: "alicf@example.com")
        #expect(throws: XMLSecurityError(.signatureDigestMismatch, detail: "")) {
            try verifier.verify(SafeXMLParser.parse(tampered).root)
        }
    }

    /// A Response with an empty Signature for xmlsec1 to fill, using the namespace
    /// prefix tricks real IdPs emit (an InclusiveNamespaces PrefixList for `xs`).
    func template(algorithm: SignatureAlgorithm, digest: DigestAlgorithm) -> String {
        """
        <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_x1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">
          <saml:Issuer>xmlsec1</saml:Issuer>
          <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="\(algorithm.uri)"/><ds:Reference URI="#_x1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="\(digest.uri)"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>
          <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
          <saml:Assertion ID="_x2" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>xmlsec1</saml:Issuer><saml:Subject><saml:NameID>alice@example.com</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="role"><saml:AttributeValue xsi:type="xs:string">admin</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>
        </samlp:Response>
        """
    }
}

@Test func xmlsec1IsInstalledWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || XMLSec1.isInstalled, "CI=true but xmlsec1 is missing: .ci/run must apt-get install -y xmlsec1")
}

/// Runs the xmlsec1 command-line tool on temporary files.
enum XMLSec1 {
    static let path: String? = ["/usr/bin/xmlsec1", "/usr/local/bin/xmlsec1", "/opt/homebrew/bin/xmlsec1"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isInstalled: Bool { path != nil }

    struct Result {
        let succeeded: Bool
        let output: String
    }

    static func verify(_ xml: String, certificate: String, idAttributeOf element: String = "urn:oasis:names:tc:SAML:2.0:protocol:Response") throws -> Result {
        let file = try temporary(xml)
        // key-name only: the key comes from the certificate we name, never from KeyInfo.
        return try run([
            "--verify", "--enabled-key-data", "key-name", "--pubkey-cert-pem", TestKeys.directory.appendingPathComponent(certificate).path,
            "--id-attr:ID", element, file.path,
        ])
    }

    /// `xmlsec1 --decrypt` with a test key: the document with its EncryptedData replaced
    /// by what it held.
    static func decrypt(_ xml: String, key: String) throws -> Result {
        let input = try temporary(xml)
        let output = input.appendingPathExtension("decrypted")
        let result = try run(["--decrypt", "--privkey-pem", TestKeys.directory.appendingPathComponent("\(key).key").path, "--output", output.path, input.path])
        guard result.succeeded else { return result }
        return Result(succeeded: true, output: try String(contentsOf: output, encoding: .utf8))
    }

    /// `xmlsec1 --encrypt`: the element named `node` (`namespace:local`) of `document`
    /// replaced by EncryptedData after `template`, its content key (`sessionKey`, such as
    /// `aes-256`) wrapped for the certificate.
    static func encrypt(_ document: String, node: String, template: String, sessionKey: String, certificate: String) throws -> String {
        let data = try temporary(document)
        let templateFile = try temporary(template)
        let output = data.appendingPathExtension("encrypted")
        let result = try run([
            "--encrypt", "--pubkey-cert-pem", TestKeys.directory.appendingPathComponent(certificate).path, "--session-key", sessionKey,
            "--xml-data", data.path, "--node-name", node, "--output", output.path, templateFile.path,
        ])
        guard result.succeeded else { throw XMLSecurityError(.decryptionFailed, detail: "xmlsec1 --encrypt failed: \(result.output)") }
        return try String(contentsOf: output, encoding: .utf8)
    }

    static func sign(_ template: String, key: String) throws -> String {
        let input = try temporary(template)
        let output = input.appendingPathExtension("signed")
        let keyPath = TestKeys.directory.appendingPathComponent("\(key).key").path
        let certificatePath = TestKeys.directory.appendingPathComponent("\(key).crt").path
        let result = try run([
            "--sign", "--privkey-pem", "\(keyPath),\(certificatePath)",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response", "--output", output.path, input.path,
        ])
        guard result.succeeded else { throw XMLSecurityError(.signatureMalformed, detail: "xmlsec1 --sign failed: \(result.output)") }
        return try String(contentsOf: output, encoding: .utf8)
    }

    private static func temporary(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xmlsec1-\(UUID().uuidString).xml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(succeeded: process.terminationStatus == 0, output: String(decoding: data, as: UTF8.self))
    }
}
