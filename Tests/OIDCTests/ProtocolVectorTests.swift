import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import MockSupport
import OIDC
import ProtocolVectors
import Testing

/// The hostile ID tokens of `Vectors/protocol/oidc` (written by `mock-idp attacks`)
/// through what the server's OIDC connector runs on a federated answer: the JWKS reader
/// and `IDTokenValidator`. Each must get the verdict and code its file names, and the
/// files must be what the generator makes today.
@Suite struct OIDCProtocolVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let vectors = ((try? ProtocolVector.load(from: root.appendingPathComponent("Vectors/protocol"))) ?? []).filter { $0.kind == .oidc }
    static let names = vectors.map(\.name)

    @Test func theCatalogueIsThere() {
        #expect(Self.names.count >= 20)
        for name in ["alg-none", "hs256-with-rsa-public-key", "ecdsa-zero-signature", "jku-header", "embedded-jwk", "bad-at-hash"] {
            #expect(Self.names.contains(name), "\(name)")
        }
    }

    @Test(arguments: names)
    func eachHostileIDTokenGetsItsVerdict(_ name: String) async throws {
        let vector = try #require(Self.vectors.first { $0.name == name })
        let (verdict, detail) = try await ProtocolVectorReplayer(root: Self.root).replay(vector)
        #expect(verdict == vector.expected, "\(name): \(detail)")
    }

    @Test func theCommittedVectorsAreWhatTheGeneratorWrites() throws {
        func read(_ path: String) throws -> String { try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8) }
        let catalogue = JWTAttackCatalogue(.init(
            key: try _RSA.Signing.PrivateKey(pemRepresentation: read("Mocks/keys/idp-rsa.key")),
            ecKey: try P256.Signing.PrivateKey(pemRepresentation: read("Mocks/keys/server-ec.key")).publicKey,
            attacker: try _RSA.Signing.PrivateKey(pemRepresentation: read("Mocks/keys/attacker-rsa.key"))))
        let entries = try catalogue.entries()
        #expect(entries.map(\.name).sorted() == Self.names)
        for entry in entries {
            let committed = try? read("Vectors/protocol/oidc/\(entry.name).jwt")
            #expect(committed == entry.token + "\n", "\(entry.name).jwt differs from the generator's: run `swift run mock-idp attacks --out Vectors/protocol`")
            let description = try ProtocolVector.descriptionFile(kind: .oidc, name: entry.name, title: entry.title, family: nil, expected: entry.expected)
            #expect(try read("Vectors/protocol/oidc/\(entry.name).json") == String(decoding: description, as: UTF8.self), "\(entry.name).json differs from the generator's")
        }
        #expect(try read("Vectors/protocol/oidc/jwks.json") == catalogue.jwks() + "\n")
    }
}
