import Crypto
import Foundation
public import IdentityCore

/// Proof Key for Code Exchange (RFC 7636) with the OA-3 rules: `S256` always, `plain` only
/// when the client allows it, and a challenge required when the client says PKCE is
/// mandatory (or is public).
public enum PKCE {
    /// RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~].
    static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.count) && value.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-._~".unicodeScalars.contains($0)
        }
    }

    /// Checks an authorize request's challenge; returns it with its method, or nil.
    public static func challenge(
        _ challenge: String?, method: String?, settings: OIDCSettings
    ) throws(OAuthError) -> (challenge: String, method: String)? {
        guard let challenge else {
            if method != nil {
                throw OAuthError(.oauthInvalidRequest, field: "code_challenge_method", detail: "code_challenge_method without code_challenge")
            }
            if settings.pkceMandatory || settings.tokenEndpointAuthMethod == .none {
                throw OAuthError(.oauthInvalidRequest, field: "code_challenge", detail: "PKCE is required for this client")
            }
            return nil
        }
        let method = method ?? "plain"
        switch method {
        case "S256": break
        case "plain":
            guard settings.pkceAllowPlain else {
                throw OAuthError(.oauthInvalidRequest, field: "code_challenge_method", value: method, detail: "the plain PKCE method is not allowed for this client")
            }
        default:
            throw OAuthError(.oauthInvalidRequest, field: "code_challenge_method", value: method, detail: "unsupported code_challenge_method")
        }
        guard isWellFormed(challenge) else {
            throw OAuthError(.oauthInvalidRequest, field: "code_challenge", detail: "code_challenge must be 43 to 128 unreserved characters")
        }
        return (challenge, method)
    }

    /// RFC 7636 §4.6.
    public static func verify(verifier: String, challenge: String, method: String) -> Bool {
        guard isWellFormed(verifier) else { return false }
        let computed = method == "S256" ? s256(verifier) : verifier
        return ConstantTime.equals(computed, challenge)
    }

    public static func s256(_ verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }
}
