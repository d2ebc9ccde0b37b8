import Foundation
import IdentityCore
import Testing
import X509
import _CryptoExtras

@testable import MockSupport

/// `mock-idp` with no profile keeps its two keys on this machine (issue 20: ready in tens
/// of milliseconds): made once, readable by their owner only, read again by the next start;
/// a broken key is made again, a certificate near its end issued again; fresh keys when
/// asked for or when the directory cannot be used.
struct KeptDeveloperKeysTests {
    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-kept-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    static func publicKey(_ path: String) throws -> Data {
        try Data(_RSA.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: path, encoding: .utf8)).publicKey.pkcs1DERRepresentation)
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theKeysAreMadeOnceKeptForTheirOwnerOnlyAndReadAgainByTheNextStart() async throws {
        try await Self.withDirectory { directory in
            let keys = KeptDeveloperKeys(directory: directory)
            let first = try keys.prepare()
            #expect(try Self.mode(directory.path) == 0o700)
            #expect(try Self.mode(first.signing.privateKey) == 0o600 && Self.mode(first.forgery.privateKey) == 0o600)
            #expect(try Self.publicKey(first.signing.privateKey) != Self.publicKey(first.forgery.privateKey))
            let again = try keys.prepare()
            #expect(try Self.publicKey(again.signing.privateKey) == Self.publicKey(first.signing.privateKey))
            #expect(try String(contentsOfFile: again.signing.certificate, encoding: .utf8) == String(contentsOfFile: first.signing.certificate, encoding: .utf8))

            // Two starts of the built-in provider publish the same key.
            let launch = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_KEY_DIR": directory.path])
            func kids() async throws -> [String] {
                let profile = try launch.developerProfile { Issue.record("unexpected warning: \($0)") }
                let mock = try await MockIdentityProvider(
                    profile: profile, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: SystemWallClock(),
                    random: SystemRandomSource())
                return mock.tokenKeys.jwks.keys.map(\.kid)
            }
            let published = try await kids()
            #expect(!published.isEmpty)
            #expect(try await kids() == published)
        }
    }

    @Test func aKeyThatCannotBeReadIsMadeAgainAndACertificateNearItsEndIsIssuedAgain() async throws {
        try await Self.withDirectory { directory in
            let keys = KeptDeveloperKeys(directory: directory)
            let first = try keys.prepare()
            let attacker = try Self.publicKey(first.forgery.privateKey)
            try "not a key".write(toFile: first.signing.privateKey, atomically: true, encoding: .utf8)
            let repaired = try keys.prepare()
            let signing = try Self.publicKey(repaired.signing.privateKey)
            #expect(signing != attacker)
            #expect(try Self.publicKey(repaired.forgery.privateKey) == attacker)
            // The certificate is the new key's.
            let certificate = try Certificate(pemEncoded: String(contentsOfFile: repaired.signing.certificate, encoding: .utf8))
            #expect(try certificate.publicKey == Certificate.PublicKey(_RSA.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: repaired.signing.privateKey, encoding: .utf8)).publicKey))

            // 340 days on, the year-long certificate has less than 30 days left: issued again, same key.
            let later = Date().addingTimeInterval(340 * 86_400)
            let renewed = try keys.prepare(now: later)
            let reissued = try Certificate(pemEncoded: String(contentsOfFile: renewed.signing.certificate, encoding: .utf8))
            #expect(reissued.notValidAfter > later.addingTimeInterval(300 * 86_400))
            #expect(try Self.publicKey(renewed.signing.privateKey) == signing)
        }
    }

    @Test func freshKeysWhenAskedForOrWhenTheDirectoryCannotBeUsed() throws {
        let asked = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, freshKeys: true, environment: [:])
        #expect(asked.keptKeys == nil)
        #expect(try asked.developerProfile { Issue.record("unexpected warning: \($0)") }.signing == nil)
        let byEnvironment = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_FRESH_KEYS": "1"])
        #expect(byEnvironment.keptKeys == nil)
        #expect(throws: MockError.self) {
            try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_FRESH_KEYS": "sometimes"])
        }
        // The flag wins over its variable; a profile keeps no keys, whatever the variable says.
        #expect(
            try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, freshKeys: true, environment: ["MOCK_IDP_FRESH_KEYS": "sometimes"])
                .keptKeys == nil)
        #expect(try MockIdPLaunch(config: "idp.yaml", host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_FRESH_KEYS": "x"]).keptKeys == nil)
        #expect(
            try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["XDG_CACHE_HOME": "/srv/cache"]).keptKeys?.path
                == "/srv/cache/identity-harness/mock-idp")

        // A directory under a file cannot be made: a warning with the code, and fresh keys.
        let blocked = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_KEY_DIR": "/dev/null/keys"])
        var warnings: [String] = []
        let profile = try blocked.developerProfile { warnings.append($0) }
        #expect(profile.signing == nil && profile.forgery == nil)
        #expect(warnings.count == 1 && warnings.first?.contains("mock.keys_unavailable") == true, "\(warnings)")
    }

    @Test func aKeyDirectoryOthersCanWriteToIsNotUsed() async throws {
        try await Self.withDirectory { directory in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
            #expect {
                try KeptDeveloperKeys(directory: directory).prepare()
            } throws: { error in
                (error as? MockError)?.code == .mockKeysUnavailable && (error as? MockError)?.detail.contains("others can write to") == true
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("signing.key").path))
        }
    }

    @Test func aSymbolicLinkOfTheUsersOwnToAPrivateDirectoryIsFollowed() async throws {
        try await Self.withDirectory { directory in
            let target = directory.appendingPathComponent("keys")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let link = directory.appendingPathComponent("link")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
            let kept = try KeptDeveloperKeys(directory: link).prepare()
            #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("signing.key").path))
            #expect(kept.signing.privateKey.hasPrefix(link.path))
        }
    }

    /// A profile whose certificate is not its key's fails the start instead of sending a
    /// certificate its signatures do not verify with.
    @Test func aCertificateThatIsNotItsKeysFailsTheStart() async throws {
        try await Self.withDirectory { directory in
            let kept = try KeptDeveloperKeys(directory: directory).prepare()
            var profile = try IdPProfile.developerDefault
            profile.signing = SPProfile.KeyPairFiles(privateKey: kept.signing.privateKey, certificate: kept.forgery.certificate)
            await #expect {
                try await MockIdentityProvider(
                    profile: profile, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: SystemWallClock(),
                    random: SystemRandomSource())
            } throws: { error in
                (error as? MockError)?.code == .mockProfileInvalid && (error as? MockError)?.field == "certificate"
            }
        }
    }
}
