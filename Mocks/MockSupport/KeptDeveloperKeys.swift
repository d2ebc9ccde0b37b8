public import Foundation
public import IdentityCore
import X509
public import XMLSecurity
import _CryptoExtras

/// The built-in developer provider's two RSA keys — its signing key and the attacker's key
/// its faults use — made once on this machine and kept, so that `mock-idp` with no profile
/// is ready in tens of milliseconds rather than after finding two RSA keys (40–150 ms
/// here, issue 20).
///
/// Kept keys are this machine's own: made here, readable by their owner only (like the
/// development CA's key), never shipped. A key everyone has — one in the repository or an
/// image — is what the design refuses: anyone could then sign tokens a test environment
/// trusts. A developer who wants keys nobody has seen before asks for fresh ones
/// (`--fresh-keys`, `MOCK_IDP_FRESH_KEYS=1`); a directory that cannot be written gets
/// fresh keys too, with a warning. Real providers keep their keys across restarts as well;
/// rotation is tested with `/_mock/keys/rotate`.
///
/// The directory is `$MOCK_IDP_KEY_DIR`, else `$XDG_CACHE_HOME/identity-harness/mock-idp`,
/// else `~/.cache/identity-harness/mock-idp`: `signing.key`/`signing.crt` and
/// `attacker.key`/`attacker.crt`. A key that cannot be read is made again; a certificate is
/// issued again (self-signed, for a year) when it has less than 30 days left or is not its
/// key's.
public struct KeptDeveloperKeys: Sendable {
    public let directory: URL
    static let renewalMargin: TimeInterval = 30 * 86_400

    public init(directory: URL) {
        self.directory = directory
    }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        PrivateDirectory.location(variable: "MOCK_IDP_KEY_DIR", base: ("XDG_CACHE_HOME", ".cache"), subpath: "identity-harness/mock-idp", environment: environment)
    }

    /// The two kept keys with their certificates, as read under the directory's lock (so
    /// a start never pairs one start's key with another's certificate).
    public struct Keys: Sendable {
        public let signing: SigningCredential
        public let attacker: SigningCredential
    }

    public enum Role: String, Sendable, CaseIterable {
        case signing, attacker

        /// The subject of its self-signed certificate.
        var name: String { self == .signing ? "mock-idp" : "mock-idp attacker" }
    }

    /// The files a kept key and its certificate are in.
    public func files(_ role: Role) -> SPProfile.KeyPairFiles {
        SPProfile.KeyPairFiles(
            privateKey: directory.appendingPathComponent("\(role.rawValue).key").path, certificate: directory.appendingPathComponent("\(role.rawValue).crt").path)
    }

    /// The signing and attacker keys, made or renewed first where needed. Processes
    /// started at once take turns under the directory's lock; missing keys are searched for
    /// side by side.
    public func prepare(now: Date = Date()) throws(MockError) -> Keys {
        let store = PrivateDirectory(directory)
        let wrap = { (failure: PrivateDirectory.Failure) in MockError(.mockKeysUnavailable, field: "directory", value: directory.path, detail: failure.detail) }
        return try store.withLock(wrap) { () throws(MockError) in
            let present = Role.allCases.map(readKey)
            let search = RSAKeySearch(count: present.filter { $0 == nil }.count)
            var credentials: [SigningCredential] = []
            for (role, kept) in zip(Role.allCases, present) {
                do {
                    let key: _RSA.Signing.PrivateKey
                    if let kept {
                        key = kept
                    } else {
                        key = try search.nextKeyWaiting()
                        try store.write(key.pemRepresentation, to: "\(role.rawValue).key", mode: 0o600)
                    }
                    if let current = currentCredential(role, for: key, now: now) {
                        credentials.append(current)
                    } else {
                        let credential = try SigningCredential.generated(key: key, name: role.name, now: now)
                        try store.write(try credential.certificate.serializeAsPEM().pemString, to: "\(role.rawValue).crt", mode: 0o644)
                        credentials.append(credential)
                    }
                } catch let failure as PrivateDirectory.Failure {
                    throw wrap(failure)
                } catch {
                    throw MockError(.mockKeysUnavailable, field: "directory", value: directory.path, detail: "cannot make the \(role.rawValue) key: \(error)")
                }
            }
            return Keys(signing: credentials[0], attacker: credentials[1])
        }
    }

    private func readKey(_ role: Role) -> _RSA.Signing.PrivateKey? {
        guard let pem = try? String(contentsOfFile: files(role).privateKey, encoding: .utf8) else { return nil }
        return try? _RSA.Signing.PrivateKey(pemRepresentation: pem)
    }

    /// `key` with its kept certificate, if that is the key's and has more than the renewal
    /// margin left.
    private func currentCredential(_ role: Role, for key: _RSA.Signing.PrivateKey, now: Date) -> SigningCredential? {
        guard let pem = try? String(contentsOfFile: files(role).certificate, encoding: .utf8),
            let certificate = try? Certificate(pemEncoded: pem),
            let credential = try? SigningCredential(key: .rsa(key), certificate: certificate),
            credential.certificateIsTheKeys, certificate.notValidAfter.timeIntervalSince(now) > Self.renewalMargin, certificate.notValidBefore <= now
        else { return nil }
        return credential
    }
}
