public import Crypto
public import _CryptoExtras
public import Foundation
import IdentityCore
import OIDC
public import ProtocolVectors

/// Hostile ID tokens from a federated OpenID Provider, each with what a careful relying
/// party must do with it — algorithm confusion, key substitution through headers, forged
/// ECDSA, and every claim check. `mock-idp attacks` writes them beside a JWKS
/// (`Vectors/protocol/oidc/`). RS256 signatures and HMACs are deterministic, so the files
/// are the same on every run.
public struct JWTAttackCatalogue: Sendable {
    public struct Context: Sendable {
        public var issuer = "https://partner-idp.example"
        public var clientID = "identity-server-client"
        public var nonce = "n-0S6_WzA2Mj"
        public var accessToken = "SlAV32hkKG"
        public var now = Date(timeIntervalSince1970: 1_767_258_000)  // 2026-01-01T09:00:00Z
        public var kid = "idp-rsa-1"
        public var ecKid = "idp-ec-1"
        public var key: _RSA.Signing.PrivateKey
        public var ecKey: P256.Signing.PublicKey
        public var attacker: _RSA.Signing.PrivateKey
        /// The person the genuine token is about (`sub`).
        public var subject = "alice"

        public init(key: _RSA.Signing.PrivateKey, ecKey: P256.Signing.PublicKey, attacker: _RSA.Signing.PrivateKey) {
            self.key = key
            self.ecKey = ecKey
            self.attacker = attacker
        }
    }

    /// A refusal's code, or acceptance with the `sub` read.
    public typealias Expectation = ProtocolVerdict

    public struct Entry: Sendable {
        public let name: String
        public let title: String
        public let token: String
        public let expected: Expectation
    }

    public let context: Context

    public init(_ context: Context) {
        self.context = context
    }

    /// The relying party's trusted keys: the RSA key (RS256) and an EC key (ES256).
    public func jwks() throws -> String {
        let primitives = try context.key.publicKey.getKeyPrimitives()
        let (n, e) = (primitives.modulus, primitives.publicExponent)
        let raw = context.ecKey.rawRepresentation
        return """
            {"keys":[{"alg":"RS256","e":"\(Base64URL.encode(Array(e)))","kid":"\(context.kid)","kty":"RSA","n":"\(Base64URL.encode(Array(n)))","use":"sig"},\
            {"alg":"ES256","crv":"P-256","kid":"\(context.ecKid)","kty":"EC","use":"sig","x":"\(Base64URL.encode(Array(raw.prefix(32))))",\
            "y":"\(Base64URL.encode(Array(raw.suffix(32))))"}]}
            """
    }

    /// Genuine claims, changed by `edit`.
    func claims(_ edit: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        let now = Int(context.now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": context.issuer, "sub": context.subject, "aud": context.clientID, "iat": now, "exp": now + 300, "nonce": context.nonce,
            "at_hash": TokenHash.leftHalf(context.accessToken), "email": "alice@example.com",
        ]
        edit(&claims)
        return claims
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    func signingInput(_ header: [String: Any], _ claims: [String: Any]) -> String {
        Base64URL.encode(Self.json(header)) + "." + Base64URL.encode(Self.json(claims))
    }

    func rs256(_ header: [String: Any], _ claims: [String: Any], key: _RSA.Signing.PrivateKey? = nil) throws -> String {
        let input = signingInput(header, claims)
        let signature = try (key ?? context.key).signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    /// One entry (each costs one signature at most, so all are built).
    public func entry(named name: String) throws -> Entry? {
        try entries().first { $0.name == name }
    }

    public func entries() throws -> [Entry] {
        let header: [String: Any] = ["alg": "RS256", "kid": context.kid, "typ": "JWT"]
        func with(_ changes: [String: Any]) -> [String: Any] { header.merging(changes) { $1 } }
        func entry(_ name: String, _ title: String, _ token: String, _ expected: Expectation) -> Entry {
            Entry(name: name, title: title, token: token, expected: expected)
        }
        let publicPEM = context.key.publicKey.pemRepresentation
        let hs256Input = signingInput(with(["alg": "HS256"]), claims())
        let hmac = HMAC<SHA256>.authenticationCode(for: Data(hs256Input.utf8), using: SymmetricKey(data: Data(publicPEM.utf8)))
        let attackerJWK: [String: Any] = try {
            let primitives = try context.attacker.publicKey.getKeyPrimitives()
            let (n, e) = (primitives.modulus, primitives.publicExponent)
            return ["kty": "RSA", "n": Base64URL.encode(Array(n)), "e": Base64URL.encode(Array(e)), "kid": context.kid]
        }()
        return [
            entry("genuine", "The genuine ID token: accepted", try rs256(header, claims()), .accepted(subject: context.subject)),
            entry("alg-none", "alg none, no signature, under the trusted kid",
                  signingInput(with(["alg": "none"]), claims()) + ".", .refused(code: "jwt.alg_mismatch")),
            entry("hs256-with-rsa-public-key", "HS256 keyed with the RSA public key's PEM (algorithm confusion)",
                  hs256Input + "." + Base64URL.encode(Array(Data(hmac))), .refused(code: "jwt.alg_mismatch")),
            entry("kid-path-traversal", "kid ../../../../dev/null (a key looked up by path)",
                  try rs256(with(["kid": "../../../../dev/null"]), claims(), key: context.attacker), .refused(code: "jwt.kid_unknown")),
            entry("unknown-kid", "Signed by a key the JWKS does not publish",
                  try rs256(with(["kid": "attacker-1"]), claims(), key: context.attacker), .refused(code: "jwt.kid_unknown")),
            entry("no-kid", "No kid in the header", try rs256(["alg": "RS256", "typ": "JWT"], claims()), .refused(code: "jwt.kid_missing")),
            entry("jku-header", "Signed by the attacker, jku pointing at the attacker's JWKS (must be ignored)",
                  try rs256(with(["jku": "https://evil.example/jwks.json"]), claims(), key: context.attacker), .refused(code: "jwt.signature_invalid")),
            entry("x5u-header", "Signed by the attacker, x5u pointing at the attacker's certificate (must be ignored)",
                  try rs256(with(["x5u": "https://evil.example/cert.pem"]), claims(), key: context.attacker), .refused(code: "jwt.signature_invalid")),
            entry("embedded-jwk", "Signed by the attacker, the attacker's key embedded as jwk (must be ignored)",
                  try rs256(with(["jwk": attackerJWK]), claims(), key: context.attacker), .refused(code: "jwt.signature_invalid")),
            entry("ecdsa-zero-signature", "ES256 with r = s = 0 (CVE-2022-21449)",
                  signingInput(["alg": "ES256", "kid": context.ecKid, "typ": "JWT"], claims()) + "." + Base64URL.encode([UInt8](repeating: 0, count: 64)),
                  .refused(code: "jwt.signature_invalid")),
            entry("wrong-issuer", "Issued by another issuer", try rs256(header, claims { $0["iss"] = "https://evil.example" }), .refused(code: "jwt.iss_mismatch")),
            entry("wrong-audience", "For another client", try rs256(header, claims { $0["aud"] = "someone-else" }), .refused(code: "jwt.aud_mismatch")),
            entry("wrong-azp", "Two audiences, azp names the other client",
                  try rs256(header, claims { $0["aud"] = [context.clientID, "someone-else"]; $0["azp"] = "someone-else" }),
                  .refused(code: "jwt.azp_mismatch")),
            entry("wrong-nonce", "Another nonce (a replayed token)", try rs256(header, claims { $0["nonce"] = "other" }), .refused(code: "jwt.nonce_mismatch")),
            entry("expired", "Expired an hour ago", try rs256(header, claims { $0["exp"] = Int(context.now.timeIntervalSince1970) - 3600 }),
                  .refused(code: "jwt.expired")),
            entry("issued-in-future", "Issued an hour from now", try rs256(header, claims { $0["iat"] = Int(context.now.timeIntervalSince1970) + 3600 }),
                  .refused(code: "jwt.iat_in_future")),
            entry("not-before-in-future", "nbf an hour from now", try rs256(header, claims { $0["nbf"] = Int(context.now.timeIntervalSince1970) + 3600 }),
                  .refused(code: "jwt.not_yet_valid")),
            entry("missing-sub", "No sub", try rs256(header, claims { $0["sub"] = nil }), .refused(code: "jwt.malformed")),
            entry("missing-iat", "No iat", try rs256(header, claims { $0["iat"] = nil }), .refused(code: "jwt.malformed")),
            entry("bad-at-hash", "at_hash of another access token", try rs256(header, claims { $0["at_hash"] = TokenHash.leftHalf("other-token") }),
                  .refused(code: "jwt.at_hash_mismatch")),
            entry("oversized", "A 20 KiB token (over the 16 KiB limit)",
                  try rs256(header, claims { $0["padding"] = String(repeating: "A", count: 20_000) }), .refused(code: "jwt.too_large")),
        ]
    }
}
