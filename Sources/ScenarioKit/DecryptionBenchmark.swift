public import Foundation
import IdentityCore
import MockSupport
import SAML
import XMLSecurity

/// How long an SP (the validator the broker and the mock SP use) takes to answer each kind
/// of encrypted assertion (SA-8) — the evidence for "every decryption failure costs the
/// same": a peer that could tell failures apart by time would have the oracle the single
/// error code denies it. In-process and single-threaded; `harness bench --decryption`.
public struct DecryptionBenchmark: Sendable {
    public struct Result: Sendable {
        public var name: String
        public var outcome: String
        public var medianMicroseconds: Double
        public var p90Microseconds: Double
    }

    let keys: URL
    let iterations: Int

    public init(root: URL, iterations: Int) {
        self.keys = root.appendingPathComponent("Mocks/keys")
        self.iterations = iterations
    }

    public func run() throws -> [Result] {
        func pem(_ name: String) throws -> String { try String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8) }
        let now = Date(timeIntervalSince1970: 1_767_258_000)
        let signing = try SigningCredential(keyPEM: pem("server-rsa.key"), certificatePEM: pem("server-rsa.crt"))
        func response(_ data: DataEncryptionAlgorithm, recipient: String = "sp-rsa.crt") throws -> String {
            try SAMLResponseBuilder(clock: FixedWallClock(now), random: SeededRandomSource(seed: 1)).build(
                SAMLResponseParameters(
                    issuer: "idp.example", destination: "https://sp.example/acs", inResponseTo: "_req", audiences: ["sp.example"],
                    recipient: "https://sp.example/acs", validity: 300, status: .success,
                    assertion: SAMLAssertionContent(
                        nameID: "alice", nameIDFormat: NameIDFormat.persistent.rawValue,
                        attributes: [SAMLAttribute(name: "email", values: ["alice@example.com"])], authnInstant: now, sessionIndex: "_s"),
                    signing: SAMLSigningOptions(credential: signing, algorithm: .rsaSHA256, digest: .sha256, signResponse: false, signAssertion: true),
                    encryption: XMLEncryptor(recipient: try EncryptionRecipient(pem: pem(recipient)), data: data, keyTransport: .rsaOAEPMGF1P)))
        }
        let decryptor = try XMLDecryptor(credential: SigningCredential(keyPEM: pem("sp-rsa.key"), certificatePEM: pem("sp-rsa.crt")))
        let trusted = try TrustedCertificate(pem: pem("server-rsa.crt"))
        let cases: [(String, String, Bool)] = [
            ("GCM, genuine (decrypted, signature verified)", try response(.aes256GCM), false),
            ("GCM, encrypted for another key", try response(.aes256GCM, recipient: "attacker-rsa.crt"), false),
            ("GCM, ciphertext changed", CiphertextTampering.changeOneCharacter(in: try response(.aes256GCM)), false),
            ("GCM relabelled CBC, unsigned Response", try response(.aes256GCM).replacingOccurrences(
                of: DataEncryptionAlgorithm.aes256GCM.uri, with: DataEncryptionAlgorithm.aes256CBC.uri), false),
            ("CBC, unsigned Response (refused by default)", try response(.aes256CBC), false),
            ("CBC accepted unsigned: genuine", try response(.aes256CBC), true),
            ("CBC accepted unsigned: a middle block changed", CiphertextTampering.changeOneCharacter(in: try response(.aes256CBC)), true),
            ("CBC accepted unsigned: the padding block changed", CiphertextTampering.changeOneCharacter(in: try response(.aes256CBC), fromEnd: 3), true),
            ("CBC accepted unsigned: another key", try response(.aes256CBC, recipient: "attacker-rsa.crt"), true),
        ]
        let validator = SAMLResponseValidator(clock: FixedWallClock(now))
        return try cases.map { name, xml, cbc in
            let expectations = SAMLResponseValidator.Expectations(
                idpEntityID: "idp.example", trusted: [trusted], audience: "sp.example", acsURL: "https://sp.example/acs",
                outstandingRequestIDs: ["_req"], allowUnsolicited: false, decryptor: decryptor, acceptsUnauthenticatedCBC: cbc)
            var outcome = ""
            var samples = [Double]()
            samples.reserveCapacity(iterations)
            let clock = ContinuousClock()
            for _ in 0..<iterations {
                let document = try SafeXMLParser.parse(xml)
                let elapsed = clock.measure {
                    do {
                        _ = try validator.validate(document, expecting: expectations)
                        outcome = "accepted"
                    } catch {
                        outcome = (error as? any CodedError)?.code.rawValue ?? "\(error)"
                    }
                }
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
            samples.sort()
            return Result(
                name: name, outcome: outcome, medianMicroseconds: samples[samples.count / 2], p90Microseconds: samples[samples.count * 9 / 10])
        }
    }
}
