import Crypto
import Foundation

/// Keys derived (HKDF-SHA256) from the configuration's signing key, for values one server
/// instance makes and another must check: sealed SessionIndexes, `sid`s, the CSRF tokens
/// of forms outside a login flow. Every instance started from the same configuration
/// derives the same keys, so several behind a load balancer need no other shared secret,
/// and a request may land on any of them.
enum DerivedKeys {
    static func key(_ credentials: ServerCredentials, purpose: String) -> SymmetricKey {
        let material: [UInt8] =
            switch (credentials.rsa?.key, credentials.ec?.key) {
            case (.rsa(let key)?, _): Array(key.derRepresentation)
            case (_, .p256(let key)?): Array(key.rawRepresentation)
            default: Array("identity-harness: no signing key".utf8)  // a server with no key issues no SAML
            }
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: material), info: Data(purpose.utf8), outputByteCount: 32)
    }
}
