import Crypto
public import _CryptoExtras
import Foundation
public import JWTKit
import IdentityCore

/// The server's JWT signing keys: RS256 and PS256 with its RSA key, ES256 with its P-256
/// key, each under its own `kid` (the key's RFC 7638 thumbprint, suffixed by algorithm),
/// and the JWKS that publishes them.
public struct ServerSigningKeys: Sendable {
    public let jwks: JWKSDocument
    /// Algorithm → kid.
    let kids: [String: String]
    let signers: JWTKeyCollection

    public var algorithms: [String] { kids.keys.sorted() }

    public init(rsa: _RSA.Signing.PrivateKey?, ec: P256.Signing.PrivateKey?) async throws {
        let signers = JWTKeyCollection()
        var keys = [JWK]()
        var kids = [String: String]()
        // Whole seconds in exp/iat/auth_time, as RFC 7519 NumericDate is usually read.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        let serializer = DefaultJWTSerializer(jsonEncoder: encoder)
        if let rsa {
            let key = try Insecure.RSA.PrivateKey(backing: rsa)
            let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
            let base = JWK(kty: "RSA", kid: "", alg: "", n: Base64URL.encode(modulus), e: Base64URL.encode(exponent))
            for alg in ["RS256", "PS256"] {
                var jwk = base
                jwk.alg = alg
                jwk.kid = "\(base.thumbprint.prefix(22))-\(alg.lowercased())"
                keys.append(jwk)
                kids[alg] = jwk.kid
                if alg == "RS256" {
                    await signers.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: jwk.kid), serializer: serializer)
                } else {
                    await signers.add(pss: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: jwk.kid), serializer: serializer)
                }
            }
        }
        if let ec {
            let key = try ES256PrivateKey(backing: ec)
            guard let (x, y) = key.publicKey.parameters else { throw JOSEError(.jwksMalformed, detail: "no EC parameters") }
            var jwk = JWK(kty: "EC", kid: "", alg: "ES256", crv: "P-256", x: x, y: y)
            jwk.kid = "\(jwk.thumbprint.prefix(22))-es256"
            keys.append(jwk)
            kids["ES256"] = jwk.kid
            await signers.add(ecdsa: key, kid: JWKIdentifier(string: jwk.kid), serializer: serializer)
        }
        self.jwks = JWKSDocument(keys: keys)
        self.kids = kids
        self.signers = signers
    }

    /// Signs `payload` with the key for `algorithm`, `kid` and `typ` in the header.
    /// `typ` types the token (RFC 8725 §3.11): `JWT`, or `logout+jwt` for a logout token.
    public func sign(_ payload: some JWTPayload, algorithm: String, typ: String = "JWT") async throws -> String {
        guard let kid = kids[algorithm] else {
            throw JOSEError(.jwtAlgorithmMismatch, value: algorithm, detail: "the server has no key for \(algorithm)")
        }
        var header = JWTHeader()
        header.typ = typ
        return try await signers.sign(payload, kid: JWKIdentifier(string: kid), header: header)
    }

    /// The same keys for verifying (the server checks tokens it issued with them too).
    public func verificationKeys() async throws -> VerificationKeySet {
        try await VerificationKeySet(jwks: jwks.json())
    }
}
