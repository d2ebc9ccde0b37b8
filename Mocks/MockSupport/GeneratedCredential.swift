public import Foundation
import Synchronization
import X509
public import XMLSecurity
import _CryptoExtras

extension SigningCredential {
    /// A fresh RSA-2048 key with a self-signed certificate for `name`, valid for a year from
    /// a day ago; it takes one key's search, 40–150 ms. Its `kid` and certificate differ on
    /// every call, so nothing may record them.
    public static func generated(name: String, now: Date = Date()) throws -> SigningCredential {
        try generated(key: _RSA.Signing.PrivateKey(keySize: .bits2048), name: name, now: now)
    }

    /// `key` with a self-signed certificate for `name`, valid for a year from a day ago: for
    /// a mock whose profile names no key files (a fresh key) and for the built-in
    /// provider's kept keys (``KeptDeveloperKeys``).
    static func generated(key: _RSA.Signing.PrivateKey, name: String, now: Date) throws -> SigningCredential {
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: subject, subject: subject,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions {}, issuerPrivateKey: Certificate.PrivateKey(key))
        return try SigningCredential(key: .rsa(key), certificate: certificate)
    }
}

/// Fresh RSA-2048 keys, each searched for on a thread of its own, handed out in the order
/// they are found.
///
/// A mock whose profile names no key files needs two RSA keys: its signing key, which its
/// first answers need, and an attacker's key, which only faults and attacks use. Both
/// searches run side by side from the start, and whichever key is found first signs. The
/// time to find an RSA key varies several-fold with where the primes happen to lie, so
/// waiting for the first of two searches is, at the median and above all in the slow tail,
/// well under waiting for a given one — and no search is wasted, since the other key is
/// the attacker's (issue 20: a developer mock ready in under 100 ms). Which of two
/// independent fresh keys takes which role changes nothing about either.
final class RSAKeySearch: Sendable {
    typealias Found = Result<_RSA.Signing.PrivateKey, any Error>
    private struct Queue {
        var found: [Found] = []
        var waiting: [@Sendable (Found) -> Void] = []
    }
    private let queue = Mutex(Queue())

    /// Keys already found, handed out in this order: for tests.
    init(found keys: [_RSA.Signing.PrivateKey]) {
        queue.withLock { $0.found = keys.map { .success($0) } }
    }

    /// Starts `count` searches.
    init(count: Int) {
        for _ in 0..<count {
            // Threads, not tasks: a search holds its thread for tens of milliseconds of
            // arithmetic, which must not sit on the cooperative pool.
            Thread.detachNewThread { [self] in
                deliver(Result { try _RSA.Signing.PrivateKey(keySize: .bits2048) })
            }
        }
    }

    /// Calls `receive` with the next key found — at once if one is waiting, else on the
    /// thread that finds it. The n-th caller receives the n-th key found.
    func onNextKey(_ receive: @escaping @Sendable (Found) -> Void) {
        let ready: Found? = queue.withLock { queue in
            if queue.found.isEmpty {
                queue.waiting.append(receive)
                return nil
            }
            return queue.found.removeFirst()
        }
        if let ready { receive(ready) }
    }

    /// The next key found.
    func nextKey() async throws -> _RSA.Signing.PrivateKey {
        try await withCheckedThrowingContinuation { continuation in onNextKey { continuation.resume(with: $0) } }
    }

    /// The next key found, blocking this thread until then: for ``KeptDeveloperKeys``, which
    /// holds a file lock around it. It blocks a pool thread for at most one key's search,
    /// once per machine (when the kept keys are first made).
    func nextKeyWaiting() throws -> _RSA.Signing.PrivateKey {
        let received = Mutex<Found?>(nil)
        let signal = DispatchSemaphore(value: 0)
        onNextKey { found in
            received.withLock { $0 = found }
            signal.signal()
        }
        signal.wait()
        return try received.withLock { $0! }.get()
    }

    private func deliver(_ found: Found) {
        let receiver: (@Sendable (Found) -> Void)? = queue.withLock { queue in
            if queue.waiting.isEmpty {
                queue.found.append(found)
                return nil
            }
            return queue.waiting.removeFirst()
        }
        receiver?(found)
    }
}

/// A key pair that may still be being found (the next key of an ``RSAKeySearch``). The
/// attacker's key of a mock whose profile names no key files is used only by faults and
/// attacks, so the mock need not wait for it before it listens. Whoever needs it before it
/// is found waits for the rest of that search — at most one key's worth, once.
final class BackgroundCredential: Sendable {
    private let result = Mutex<Result<SigningCredential, any Error>?>(nil)
    /// Signalled once the result is set; each waiter passes the signal on.
    private let found = DispatchSemaphore(value: 0)

    init(ready credential: SigningCredential) {
        result.withLock { $0 = .success(credential) }
        found.signal()
    }

    /// The next key `search` finds, with a certificate for `name` (made on the search's
    /// thread, or on this one if a key is already waiting). The key itself is found on a
    /// thread of the search, not on the cooperative pool, where a reader of `value` may be
    /// blocked waiting for it.
    init(next search: RSAKeySearch, name: String, now: Date) {
        search.onNextKey { [self] key in
            let outcome = Result { try SigningCredential.generated(key: key.get(), name: name, now: now) }
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
