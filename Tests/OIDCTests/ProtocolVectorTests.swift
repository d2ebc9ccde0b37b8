import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import MockSupport
import OIDC
import Testing

/// The hostile ID tokens of `Vectors/protocol/oidc` (written by `mock-idp attacks`)
/// through what the server's OIDC connector runs on a federated answer: the JWKS reader
/// and `IDTokenValidator`. Each must get the verdict and code its file names, and the
/// files must be what the generator makes today.
@Suite struct OIDCProtocolVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = root.appendingPathComponent("Vectors/protocol/oidc")

    struct Context: Decodable {
        let issuer: String
        let clientID: String
        let nonce: String
        let accessToken: String
        let now: String
        let clockSkewSeconds: Double
    }

    struct Vector: Decodable {
        struct Expect: Decodable {
            let verdict: String
            let code: String?
            let sub: String?
        }
        let name: String
        let title: String
        let expect: Expect
    }

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".jwt") }.map { String($0.dropLast(4)) }.sorted()

    enum Outcome {
        case accepted(sub: String)
        case refused(code: String, detail: String)
    }

    static func verdict(of token: String) async throws -> Outcome {
        let context = try JSONDecoder().decode(Context.self, from: Data(contentsOf: directory.appendingPathComponent("context.json")))
        let keys = try await VerificationKeySet(jwks: Data(contentsOf: directory.appendingPathComponent("jwks.json")))
        let validator = IDTokenValidator(
            issuer: context.issuer, clientID: context.clientID, keys: keys, clock: FixedWallClock(try Date(context.now, strategy: .iso8601)),
            clockSkew: context.clockSkewSeconds)
        do {
            let (claims, _) = try await validator.validate(token, nonce: context.nonce, accessToken: context.accessToken)
            return .accepted(sub: claims.sub)
        } catch {
            return .refused(code: error.code.rawValue, detail: error.description)
        }
    }

    @Test func theCatalogueIsThere() {
        #expect(Self.names.count >= 20)
        for name in ["alg-none", "hs256-with-rsa-public-key", "ecdsa-zero-signature", "jku-header", "embedded-jwk", "bad-at-hash"] {
            #expect(Self.names.contains(name), "\(name)")
        }
    }

    @Test(arguments: names)
    func eachHostileIDTokenGetsItsVerdict(_ name: String) async throws {
        let vector = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: Self.directory.appendingPathComponent("\(name).json")))
        let token = try String(contentsOf: Self.directory.appendingPathComponent("\(name).jwt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch (vector.expect.verdict, try await Self.verdict(of: token)) {
        case ("refused", .refused(let code, let detail)):
            #expect(code == vector.expect.code, "\(name): \(detail)")
        case ("accepted", .accepted(let sub)):
            #expect(sub == vector.expect.sub, "\(name)")
        case (let expected, let actual):
            Issue.record("\(name): expected \(expected) \(vector.expect.code ?? vector.expect.sub ?? ""), got \(actual)")
        }
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
        }
        #expect(try read("Vectors/protocol/oidc/jwks.json") == catalogue.jwks() + "\n")
    }
}
