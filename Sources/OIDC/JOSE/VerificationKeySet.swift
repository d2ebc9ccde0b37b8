public import Foundation
public import JWTKit

/// Public keys by `kid`, each bound to the one algorithm it was published for.
///
/// jwt-kit falls back to a default key for an unknown `kid` and does not compare the
/// header's `alg` with the key, so those checks happen here, before jwt-kit sees the
/// token: no `kid` → refused, unknown `kid` → refused, `alg` ≠ the key's → refused.
/// Keys are never tried one after another.
public struct VerificationKeySet: Sendable {
    struct Entry: Sendable {
        let algorithm: String
        let keys: JWTKeyCollection
    }

    let entries: [String: Entry]

    public var keyIDs: [String] { entries.keys.sorted() }

    init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// Reads a JWKS document. Every key needs `kid` and `alg`; RSA keys may be RS256/384/512
    /// or PS256/384/512, EC keys ES256 (P-256). Other keys are skipped, not fatal.
    public init(jwks data: Data) async throws(JOSEError) {
        guard let document = try? JSONDecoder().decode(LenientJWKS.self, from: data) else {
            throw JOSEError(.jwksMalformed, detail: "not a JWK Set document")
        }
        var entries = [String: Entry]()
        for jwk in document.keys.compactMap(\.value) {
            guard entries[jwk.kid] == nil else {
                throw JOSEError(.jwksMalformed, value: jwk.kid, detail: "kid '\(jwk.kid)' appears twice")
            }
            if let entry = await Self.entry(for: jwk) { entries[jwk.kid] = entry }
        }
        self.init(entries: entries)
    }

    static func entry(for jwk: JWK) async -> Entry? {
        let keys = JWTKeyCollection()
        switch (jwk.kty, jwk.alg) {
        case ("RSA", let alg) where alg.hasPrefix("RS") || alg.hasPrefix("PS"):
            guard let n = jwk.n, let e = jwk.e, let key = try? Insecure.RSA.PublicKey(modulus: n, exponent: e),
                let digest = digest(alg)
            else { return nil }
            if alg.hasPrefix("RS") {
                await keys.add(rsa: key, digestAlgorithm: digest, kid: JWKIdentifier(string: jwk.kid))
            } else {
                await keys.add(pss: key, digestAlgorithm: digest, kid: JWKIdentifier(string: jwk.kid))
            }
        case ("EC", "ES256"):
            guard jwk.crv == "P-256", let x = jwk.x, let y = jwk.y, let key = try? ES256PublicKey(parameters: (x: x, y: y)) else {
                return nil
            }
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: jwk.kid))
        default:
            return nil
        }
        return Entry(algorithm: jwk.alg, keys: keys)
    }

    static func digest(_ alg: String) -> DigestAlgorithm? {
        switch alg.suffix(3) {
        case "256": .sha256
        case "384": .sha384
        case "512": .sha512
        default: nil
        }
    }

    /// Verifies the signature of `token` and decodes its payload.
    public func verify<Payload: JWTPayload>(_ token: String, as: Payload.Type) async throws(JOSEError) -> (Payload, JOSEHeader) {
        let header = try JOSEHeader(token: token)
        guard let kid = header.kid else {
            throw JOSEError(.jwtKeyIDMissing, detail: "the token's header names no key (kid)")
        }
        guard let entry = entries[kid] else {
            throw JOSEError(.jwtKeyIDUnknown, value: kid, detail: "no published key has kid '\(kid)'")
        }
        guard header.alg == entry.algorithm else {
            throw JOSEError(
                .jwtAlgorithmMismatch, field: "alg", value: header.alg,
                detail: "key '\(kid)' is published for \(entry.algorithm), the token says \(header.alg)")
        }
        do {
            return (try await entry.keys.verify(token, as: Payload.self), header)
        } catch let error as JOSEError {
            throw error
        } catch let error as JWTError where error.errorType == .malformedToken {
            // The claims could not be read as this kind of token (a required claim such
            // as `sub` is missing or of the wrong type): refused before anything is used.
            throw JOSEError(.jwtMalformed, detail: "the token's claims cannot be read: a required claim is missing or malformed")
        } catch {
            throw JOSEError(.jwtSignatureInvalid, detail: "the signature does not verify with key '\(kid)'")
        }
    }
}

/// A JWKS whose unknown key types decode as nil instead of failing the whole set.
struct LenientJWKS: Decodable {
    struct Key: Decodable {
        let value: JWK?
        init(from decoder: any Decoder) throws {
            value = try? JWK(from: decoder)
        }
    }

    let keys: [Key]
}
