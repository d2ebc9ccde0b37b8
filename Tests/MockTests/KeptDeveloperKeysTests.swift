import Foundation
import IdentityCore
import Testing
import X509
import XMLSecurity
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

    static func publicKey(_ credential: SigningCredential) -> Data {
        guard case .rsa(let key) = credential.key else {
            Issue.record("a kept key is an RSA key")
            return Data()
        }
        return Data(key.publicKey.pkcs1DERRepresentation)
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theKeysAreMadeOnceKeptForTheirOwnerOnlyAndReadAgainByTheNextStart() async throws {
        try await Self.withDirectory { directory in
            let keys = KeptDeveloperKeys(directory: directory)
            let (signing, attacker) = (keys.files(.signing), keys.files(.attacker))
            let first = try keys.prepare()
            #expect(try Self.mode(directory.path) == 0o700)
            #expect(try Self.mode(signing.privateKey) == 0o600 && Self.mode(attacker.privateKey) == 0o600)
            #expect(try Self.publicKey(signing.privateKey) != Self.publicKey(attacker.privateKey))
            // What a start is given is what is kept.
            #expect(try Self.publicKey(first.signing) == Self.publicKey(signing.privateKey))
            #expect(try Self.publicKey(first.attacker) == Self.publicKey(attacker.privateKey))
            #expect(try first.signing.certificate == Certificate(pemEncoded: String(contentsOfFile: signing.certificate, encoding: .utf8)))
            #expect(first.signing.certificateIsTheKeys && first.attacker.certificateIsTheKeys)
            let again = try keys.prepare()
            #expect(Self.publicKey(again.signing) == Self.publicKey(first.signing))
            #expect(again.signing.certificateBase64 == first.signing.certificateBase64)

            // Two starts of the built-in provider publish the same key.
            let launch = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_KEY_DIR": directory.path])
            func kids() async throws -> [String] {
                let kept = launch.developerKeys { Issue.record("unexpected warning: \($0)") }
                #expect(kept != nil)
                let mock = try await MockIdentityProvider(
                    profile: IdPProfile.developerDefault, keys: kept, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: SystemWallClock(),
                    random: SystemRandomSource())
                // The kept signing key signs; the attacker's does not.
                #expect(mock.samlSigning.certificateBase64 == kept?.signing.certificateBase64)
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
            let files = keys.files(.signing)
            let first = try keys.prepare()
            let attacker = Self.publicKey(first.attacker)
            try "not a key".write(toFile: files.privateKey, atomically: true, encoding: .utf8)
            let repaired = try keys.prepare()
            let signing = Self.publicKey(repaired.signing)
            #expect(signing != attacker && signing != Self.publicKey(first.signing))
            #expect(try Self.publicKey(files.privateKey) == signing)
            #expect(Self.publicKey(repaired.attacker) == attacker)
            // The certificate, kept and given, is the new key's.
            let certificate = try Certificate(pemEncoded: String(contentsOfFile: files.certificate, encoding: .utf8))
            #expect(try certificate.publicKey == Certificate.PublicKey(_RSA.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: files.privateKey, encoding: .utf8)).publicKey))
            #expect(repaired.signing.certificate == certificate)

            // 340 days on, the year-long certificate has less than 30 days left: issued again, same key.
            let later = Date().addingTimeInterval(340 * 86_400)
            let renewed = try keys.prepare(now: later)
            let reissued = try Certificate(pemEncoded: String(contentsOfFile: files.certificate, encoding: .utf8))
            #expect(reissued.notValidAfter > later.addingTimeInterval(300 * 86_400))
            #expect(renewed.signing.certificate == reissued)
            #expect(Self.publicKey(renewed.signing) == signing)
        }
    }

    @Test func freshKeysWhenAskedForOrWhenTheDirectoryCannotBeUsed() throws {
        let asked = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, freshKeys: true, environment: [:])
        #expect(asked.keptKeys == nil)
        #expect(asked.developerKeys { Issue.record("unexpected warning: \($0)") } == nil)
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
        let kept = blocked.developerKeys { warnings.append($0) }
        #expect(kept == nil)
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
            #expect(try Self.publicKey(target.appendingPathComponent("signing.key").path) == Self.publicKey(kept.signing))
        }
    }

    /// A profile whose certificate is not its key's fails the start instead of sending a
    /// certificate its signatures do not verify with.
    @Test func aCertificateThatIsNotItsKeysFailsTheStart() async throws {
        try await Self.withDirectory { directory in
            let keys = KeptDeveloperKeys(directory: directory)
            _ = try keys.prepare()
            var profile = try IdPProfile.developerDefault
            profile.signing = SPProfile.KeyPairFiles(privateKey: keys.files(.signing).privateKey, certificate: keys.files(.attacker).certificate)
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
