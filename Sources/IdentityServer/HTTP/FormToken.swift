import Crypto
import IdentityCore

/// CSRF tokens for forms that belong to no login flow (the device code page, the logout
/// confirmation): an HMAC of the form's purpose and the browser-binding cookie under a
/// key the server draws at start. Another site can neither read nor compute one.
struct FormToken {
    let key: [UInt8]

    func make(purpose: String, binding: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array("\(purpose):\(binding)".utf8), using: SymmetricKey(data: key)))
    }

    func verify(_ token: String?, purpose: String, binding: String?) -> Bool {
        guard let token, let binding else { return false }
        return ConstantTime.equals(token, make(purpose: purpose, binding: binding))
    }
}
