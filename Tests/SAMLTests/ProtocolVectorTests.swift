import Foundation
import IdentityCore
import MockSupport
import SAML
import Testing
import XMLSecurity

/// The hostile SAML Responses of `Vectors/protocol/saml` (written by `mock-idp attacks`)
/// through the code the server's SAML connector runs on a federated answer: the POST
/// binding's decoding and `SAMLResponseValidator`. Each must get the verdict and code its
/// file names, and the files must be what the generator makes today.
@Suite struct SAMLProtocolVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = root.appendingPathComponent("Vectors/protocol/saml")

    struct Context: Decodable {
        let idpEntityID: String
        let spEntityID: String
        let acs: String
        let outstandingRequestIDs: [String]
        let now: String
        let trustedCertificate: String
        let clockSkewSeconds: Double
        let allowUnsolicited: Bool
    }

    struct Vector: Decodable {
        struct Expect: Decodable {
            let verdict: String
            let code: String?
            let nameID: String?
        }
        let name: String
        let family: String
        let title: String
        let expect: Expect
    }

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") && $0 != "context.json" }.map { String($0.dropLast(5)) }.sorted()

    static func context() throws -> Context {
        try JSONDecoder().decode(Context.self, from: Data(contentsOf: directory.appendingPathComponent("context.json")))
    }

    /// What the validator makes of a vector: the NameID it accepted, or the refusal's code.
    enum Outcome {
        case accepted(nameID: String)
        case refused(code: String, detail: String)
    }

    static func verdict(of xml: String) throws -> Outcome {
        do {
            return .accepted(nameID: try validate(xml))
        } catch let error as any CodedError {
            return .refused(code: error.code.rawValue, detail: error.description)
        }
    }

    /// The NameID of the assertion the validator accepts (empty without one).
    static func validate(_ xml: String) throws -> String {
        let context = try context()
        let now = try Date(context.now, strategy: .iso8601)
        let trusted = try TrustedCertificate(pem: String(contentsOf: root.appendingPathComponent(context.trustedCertificate), encoding: .utf8))
        let document = try POSTBinding.decode(Data(xml.utf8).base64EncodedString(), parameter: "SAMLResponse")
        let validated = try SAMLResponseValidator(clock: FixedWallClock(now)).validate(
            document,
            expecting: .init(
                idpEntityID: context.idpEntityID, trusted: [trusted], audience: context.spEntityID, acsURL: context.acs,
                outstandingRequestIDs: Set(context.outstandingRequestIDs), allowUnsolicited: context.allowUnsolicited,
                clockSkew: context.clockSkewSeconds))
        return validated.assertion?.nameID ?? ""
    }

    @Test func theCatalogueIsThere() {
        #expect(Self.names.count >= 30)
        for variant in 1...8 { #expect(Self.names.contains { $0.hasPrefix("xsw\(variant)-") }, "XSW\(variant)") }
    }

    @Test(arguments: names)
    func eachHostileResponseGetsItsVerdict(_ name: String) throws {
        let vector = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: Self.directory.appendingPathComponent("\(name).json")))
        let xml = try String(contentsOf: Self.directory.appendingPathComponent("\(name).xml"), encoding: .utf8)
        switch (vector.expect.verdict, try Self.verdict(of: xml)) {
        case ("refused", .refused(let code, let detail)):
            #expect(code == vector.expect.code, "\(name): \(detail)")
        case ("accepted", .accepted(let nameID)):
            #expect(nameID == vector.expect.nameID, "\(name)")
            #expect(nameID != SAMLWrapping.evilNameID)
        case (let expected, let actual):
            Issue.record("\(name): expected \(expected) \(vector.expect.code ?? vector.expect.nameID ?? ""), got \(actual)")
        }
    }

    /// The committed files are the generator's output: nobody edited an attack by hand, and
    /// a change to the generator shows up as a diff of the vectors.
    @Test func theCommittedVectorsAreWhatTheGeneratorWrites() throws {
        func read(_ path: String) throws -> String { try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8) }
        let context = SAMLAttackCatalogue.Context(
            signing: try SigningCredential(keyPEM: read("Mocks/keys/idp-rsa.key"), certificatePEM: read("Mocks/keys/idp-rsa.crt")),
            attacker: try SigningCredential(keyPEM: read("Mocks/keys/attacker-rsa.key"), certificatePEM: read("Mocks/keys/attacker-rsa.crt")))
        let entries = try SAMLAttackCatalogue(context).entries()
        #expect(entries.map(\.name).sorted() == Self.names)
        for entry in entries {
            let committed = try? String(contentsOf: Self.directory.appendingPathComponent("\(entry.name).xml"), encoding: .utf8)
            #expect(committed == entry.xml, "\(entry.name).xml differs from the generator's: run `swift run mock-idp attacks --out Vectors/protocol`")
        }
    }
}
