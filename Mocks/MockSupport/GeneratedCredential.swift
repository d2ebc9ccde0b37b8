public import Foundation
import Synchronization
import X509
public import XMLSecurity
import _CryptoExtras

extension SigningCredential {
    /// A fresh RSA-2048 key with a self-signed certificate for `name`, valid for a year from
    /// a day ago: for a mock whose profile names no key files (a developer's one-command
    /// mock, a library user's in-process IdP). Its `kid` and certificate differ on every
    /// start, so nothing may record them.
    public static func generated(name: String, now: Date = Date()) throws -> SigningCredential {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: subject, subject: subject,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions {}, issuerPrivateKey: Certificate.PrivateKey(key))
        return try SigningCredential(key: .rsa(key), certificate: certificate)
    }
}

/// A key pair that is being found on a thread of its own. The attacker's key of a mock
/// whose profile names no key files is used only by faults and attacks, so the mock need
/// not wait for it before it listens: finding a second RSA key at start-up was most of a
/// developer mock's start (issue 20, ready in under 100 ms). Whoever needs it before it is
/// found waits for the rest of that search — at most one key's worth, once.
final class BackgroundCredential: Sendable {
    private let result = Mutex<Result<SigningCredential, any Error>?>(nil)
    /// Signalled once the result is set; each waiter passes the signal on.
    private let found = DispatchSemaphore(value: 0)

    init(ready credential: SigningCredential) {
        result.withLock { $0 = .success(credential) }
        found.signal()
    }

    init(generating name: String, now: Date) {
        // A thread, not a task: a reader may block on `value` from the cooperative pool,
        // which must not also be the place the key is being found.
        Thread.detachNewThread { [self] in
            let outcome = Result { try SigningCredential.generated(name: name, now: now) }
            result.withLock { $0 = outcome }
            found.signal()
        }
    }

    var value: SigningCredential {
        get throws {
            if let done = result.withLock({ $0 }) { return try done.get() }
            found.wait()
            found.signal()
            return try result.withLock { $0! }.get()
        }
    }
}
