import Crypto
public import Foundation
import IdentityCore

/// One public key as a JWK (RFC 7517), RSA or EC P-256, always with `kid` and `alg`.
public struct JWK: Codable, Sendable, Equatable {
    public var kty: String
    public var kid: String
    public var alg: String
    public var use: String?
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?

    public init(kty: String, kid: String, alg: String, use: String? = "sig", n: String? = nil, e: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.use = use
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
    }

    /// The RFC 7638 thumbprint: SHA-256 of the required members in lexical order.
    public var thumbprint: String {
        let canonical = kty == "RSA"
            ? #"{"e":"\#(e ?? "")","kty":"RSA","n":"\#(n ?? "")"}"#
            : #"{"crv":"\#(crv ?? "")","kty":"EC","x":"\#(x ?? "")","y":"\#(y ?? "")"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }
}

/// A JWK Set document (`{"keys": [...]}`).
public struct JWKSDocument: Codable, Sendable, Equatable {
    public var keys: [JWK]

    public init(keys: [JWK]) {
        self.keys = keys
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{\"keys\":[]}".utf8)
    }
}
