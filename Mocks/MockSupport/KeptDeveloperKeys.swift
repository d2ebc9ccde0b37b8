public import Foundation
public import IdentityCore
import X509
import XMLSecurity
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
        if let explicit = environment["MOCK_IDP_KEY_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit, isDirectory: true) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache", isDirectory: true)
        return cache.appendingPathComponent("identity-harness/mock-idp", isDirectory: true)
    }

    /// The signing and attacker key files, made or renewed first where needed. Processes
    /// started at once take turns under the directory's lock; missing keys are searched for
    /// side by side.
    public func prepare(now: Date = Date()) throws(MockError) -> (signing: SPProfile.KeyPairFiles, forgery: SPProfile.KeyPairFiles) {
        let files = PrivateDirectory(directory)
        let wrap = { (failure: PrivateDirectory.Failure) in MockError(.mockKeysUnavailable, field: "directory", value: directory.path, detail: failure.detail) }
        return try files.withLock(wrap) { () throws(MockError) in
            let roles = [("signing", "mock-idp"), ("attacker", "mock-idp attacker")]
            let present = roles.map { role, _ in readKey(role) }
            let search = RSAKeySearch(count: present.filter { $0 == nil }.count)
            for ((role, name), kept) in zip(roles, present) {
                do {
                    let key: _RSA.Signing.PrivateKey
                    if let kept {
                        key = kept
                    } else {
                        key = try search.nextKeyWaiting()
                        try files.write(key.pemRepresentation, to: "\(role).key", mode: 0o600)
                    }
                    if !certificateIsCurrent(role, for: key, now: now) {
                        let credential = try SigningCredential.generated(key: key, name: name, now: now)
                        try files.write(try credential.certificate.serializeAsPEM().pemString, to: "\(role).crt", mode: 0o644)
                    }
                } catch let failure as PrivateDirectory.Failure {
                    throw wrap(failure)
                } catch {
                    throw MockError(.mockKeysUnavailable, field: "directory", value: directory.path, detail: "cannot make the \(role) key: \(error)")
                }
            }
            func pair(_ role: String) -> SPProfile.KeyPairFiles {
                SPProfile.KeyPairFiles(
                    privateKey: directory.appendingPathComponent("\(role).key").path, certificate: directory.appendingPathComponent("\(role).crt").path)
            }
            return (pair("signing"), pair("attacker"))
        }
    }

    private func readKey(_ role: String) -> _RSA.Signing.PrivateKey? {
        guard let pem = try? String(contentsOf: directory.appendingPathComponent("\(role).key"), encoding: .utf8) else { return nil }
        return try? _RSA.Signing.PrivateKey(pemRepresentation: pem)
    }

    private func certificateIsCurrent(_ role: String, for key: _RSA.Signing.PrivateKey, now: Date) -> Bool {
        guard let pem = try? String(contentsOf: directory.appendingPathComponent("\(role).crt"), encoding: .utf8),
            let certificate = try? Certificate(pemEncoded: pem)
        else { return false }
        return certificate.publicKey == Certificate.PublicKey(key.publicKey) && certificate.notValidAfter.timeIntervalSince(now) > Self.renewalMargin
            && certificate.notValidBefore <= now
    }
}
