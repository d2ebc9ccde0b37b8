import Crypto
import Foundation
import IdentityCore
import XMLSecurity
import _CryptoExtras

/// How an SSO session is named to the parties outside: SAML SessionIndex values that name
/// it to this server alone, and the OIDC `sid` every RP of it sees.
///
/// A LogoutRequest reaches `/samlsso` as a cross-site POST or redirect, usually without
/// the session cookie (it is SameSite=Lax), so the session must be found from the
/// message. The SessionIndex is the session ID and the SP's name sealed with AES-GCM:
/// the server opens it without a lookup table or an extra write per login, it differs per
/// SP and per login (so SPs cannot correlate a person by it, SAML core §2.7.2), and it
/// cannot be forged to name another session. The key is derived from the configured
/// signing key, so every instance over one database shares it and it survives a restart.
///
/// The `sid` (OpenID Connect Front-/Back-Channel Logout) is an HMAC of the session ID:
/// one value for every RP of the session, as the specifications intend, that reveals
/// nothing of the storage key and needs nothing stored.
struct SessionReferences: Sendable {
    private let key: SymmetricKey
    private let nonceKey: SymmetricKey
    private let sidKey: SymmetricKey

    init(credentials: ServerCredentials) {
        key = DerivedKeys.key(credentials, purpose: "identity-harness SAML SessionIndex v1")
        nonceKey = DerivedKeys.key(credentials, purpose: "identity-harness SAML SessionIndex nonce v1")
        sidKey = DerivedKeys.key(credentials, purpose: "identity-harness OIDC sid v1")
    }

    /// The OIDC `sid` of session `sessionID`.
    func sid(sessionID: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(sessionID.utf8), using: sidKey).prefix(16))
    }

    /// A SessionIndex for `serviceProvider`'s part of session `sessionID`. `unique` is a
    /// value no other login shares (the engine's random per-login identifier): the nonce is
    /// derived from it, so no two logins share a nonce, and the scenario's injected random
    /// stream is not drawn from (recorded exchanges stay byte-identical).
    func sessionIndex(sessionID: String, serviceProvider: String, unique: String) -> String {
        let plaintext = Data((sessionID + "\n" + serviceProvider).utf8)
        let nonce = Array(HMAC<SHA256>.authenticationCode(for: Data((unique + "\n").utf8) + plaintext, using: nonceKey).prefix(12))
        // A 12-byte nonce and a 32-byte key: sealing cannot fail, and the combined form exists.
        guard let box = try? AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce)), let combined = box.combined else {
            return unique
        }
        return Base64URL.encode(Array(combined))
    }

    /// The session and SP a SessionIndex this server issued names; nil for anything else.
    func session(named index: String) -> (sessionID: String, serviceProvider: String)? {
        guard index.utf8.count <= 1024, let bytes = Base64URL.decode(index), let box = try? AES.GCM.SealedBox(combined: bytes),
            let plain = try? AES.GCM.open(box, using: key), let text = String(bytes: plain, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
