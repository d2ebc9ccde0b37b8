import Foundation
public import IdentityCore

/// The protected header of a compact JWS, read before anything is verified so that the
/// key can be chosen by `kid` and the algorithm checked against it.
public struct JOSEHeader: Sendable, Equatable {
    public var alg: String
    public var kid: String?
    public var typ: String?
    /// Header parameters that name other keys (`jwk`, `jku`, `x5u`, `x5c`): present or not,
    /// they are never used.
    public var names: Set<String>

    /// The largest compact JWS read at all (16 KiB): ID tokens, client assertions and
    /// request objects are a few KiB; anything bigger is refused before it is decoded.
    public static let maximumTokenBytes = 16 * 1024

    public init(token: String) throws(JOSEError) {
        guard token.utf8.count <= Self.maximumTokenBytes else {
            throw JOSEError(.jwtTooLarge, value: String(token.utf8.count), detail: "a JWT over \(Self.maximumTokenBytes) bytes is refused unread")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(String(parts[0])),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw JOSEError(.jwtMalformed, detail: "not a compact JWS with a JSON header")
        }
        guard let alg = object["alg"] as? String else {
            throw JOSEError(.jwtMalformed, field: "alg", detail: "the header has no alg")
        }
        self.alg = alg
        kid = object["kid"] as? String
        typ = object["typ"] as? String
        names = Set(object.keys)
    }
}

/// The left half of a SHA-2 hash of an access token or code, base64url (OIDC Core
/// §3.1.3.6 `at_hash`, §3.3.2.11 `c_hash`); SHA-256 for every algorithm this server uses.
public enum TokenHash {
    public static func leftHalf(_ value: String) -> String {
        let digest = Array(SHA256Digest.of(value))
        return Base64URL.encode(digest.prefix(digest.count / 2))
    }
}

import Crypto

enum SHA256Digest {
    static func of(_ value: String) -> SHA256.Digest { SHA256.hash(data: Array(value.utf8)) }
}
