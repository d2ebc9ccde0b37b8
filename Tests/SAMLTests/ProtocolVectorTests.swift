import Foundation
import IdentityCore
import MockSupport
import SAML
import ProtocolVectors
import Testing
import XMLSecurity

/// The hostile SAML Responses of `Vectors/protocol/saml` (written by `mock-idp attacks`)
/// through the code the server's SAML connector runs on a federated answer: the POST
/// binding's decoding and `SAMLResponseValidator`. Each must get the verdict and code its
/// file names, and the files must be what the generator makes today.
@Suite struct SAMLProtocolVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = root.appendingPathComponent("Vectors/protocol/saml")
    static let vectors = ((try? ProtocolVector.load(from: root.appendingPathComponent("Vectors/protocol"))) ?? []).filter { $0.kind == .saml }
    static let names = vectors.map(\.name)

    @Test func theCatalogueIsThere() {
        #expect(Self.names.count >= 30)
        for variant in 1...8 { #expect(Self.names.contains { $0.hasPrefix("xsw\(variant)-") }, "XSW\(variant)") }
    }

    @Test(arguments: names)
    func eachHostileResponseGetsItsVerdict(_ name: String) async throws {
        let vector = try #require(Self.vectors.first { $0.name == name })
        let (verdict, detail) = try await ProtocolVectorReplayer(root: Self.root).replay(vector)
        #expect(verdict == vector.expected, "\(name): \(detail)")
        #expect(verdict != .accepted(subject: SAMLWrapping.evilNameID), "\(name): the attacker's NameID was accepted")
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
            let description = try ProtocolVector.descriptionFile(kind: .saml, name: entry.name, title: entry.title, family: entry.family, expected: entry.expected)
            #expect(try Data(contentsOf: Self.directory.appendingPathComponent("\(entry.name).json")) == description, "\(entry.name).json differs from the generator's")
        }
    }
}
