import Crypto
import _CryptoExtras
import Foundation
public import IdentityCore

/// PBKDF2-HMAC-SHA256 password hashes, stored as
/// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
///
/// The iteration count is configurable because scenarios hash hundreds of passwords and
/// must stay fast; the default follows OWASP's 2023 advice (600 000). Verification of an
/// unknown user still runs one hash of the same cost so response time does not reveal
/// whether a username exists (AU-5).
public struct PasswordHasher: Sendable {
    public static let defaultIterations = 600_000
    public let iterations: Int
    let random: any RandomSource

    public init(iterations: Int = PasswordHasher.defaultIterations, random: any RandomSource) {
        self.iterations = max(1, iterations)
        self.random = random
    }

    public func hash(_ password: String) -> String {
        let salt = random.bytes(16)
        let derived = Self.derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Constant-time check of `password` against an encoded hash; false for any malformed hash.
    public func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0, rounds <= 10_000_000,
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3]))
        else { return false }
        let derived = Self.derive(password, salt: Array(salt), iterations: rounds)
        return ConstantTime.equals(derived, Array(expected))
    }

    /// Spends the same time as a real verification, for an unknown username.
    public func verifyAgainstNothing(_ password: String) {
        _ = Self.derive(password, salt: Array(repeating: 0, count: 16), iterations: iterations)
    }

    static func derive(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        // The only failure is an invalid parameter, which these fixed ones are not.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }
}
