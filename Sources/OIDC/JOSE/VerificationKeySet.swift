public import Foundation
public import JWTKit

/// Public keys by `kid`, each with the algorithms it may verify.
///
/// jwt-kit falls back to a default key for an unknown `kid` and does not compare the
/// header's `alg` with the key, so those checks happen here, before jwt-kit sees the
/// token: no `kid` → refused, unknown `kid` → refused, an `alg` the key cannot or may not
/// verify → refused. A key published with `alg` verifies only that algorithm; one without
/// (`alg` is optional, RFC 7517 §4.4) verifies what its type allows — RS256/384/512 and
/// PS256/384/512 for RSA, ES256 for a P-256 key — narrowed, where the caller knows them, to
/// the algorithms the provider says it signs with. `none` and HMAC are never accepted:
/// a public key is not a shared secret. Keys are never tried one after another, and a key
/// published for encryption (`use: enc`) is not used.
public struct VerificationKeySet: Sendable {
    struct Entry: Sendable {
        /// Algorithm → the key, set up for it.
        let algorithms: [String: JWTKeyCollection]
        /// What the JWKS said (`RS256`), or the key type (`RSA`) when it named no algorithm.
        let published: String
    }

    let entries: [String: Entry]

    public var keyIDs: [String] { entries.keys.sorted() }

    init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// Reads a JWKS document. Every key needs `kid`; keys of a type or curve this cannot
    /// verify, and encryption keys, are skipped, not fatal.
    public init(jwks data: Data) async throws(JOSEError) {
        guard let document = try? JSONDecoder().decode(LenientJWKS.self, from: data) else {
            throw JOSEError(.jwksMalformed, detail: "not a JWK Set document")
        }
        var entries = [String: Entry]()
        for jwk in document.keys.compactMap(\.value) where jwk.use == nil || jwk.use == "sig" {
            guard entries[jwk.kid] == nil else {
                throw JOSEError(.jwksMalformed, value: jwk.kid, detail: "kid '\(jwk.kid)' appears twice")
            }
            if let entry = await Self.entry(for: jwk) { entries[jwk.kid] = entry }
        }
        self.init(entries: entries)
    }

    static let rsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]

    static func entry(for jwk: PublishedKey) async -> Entry? {
        var algorithms = [String: JWTKeyCollection]()
        switch jwk.kty {
        case "RSA":
            guard let n = jwk.n, let e = jwk.e, let key = try? Insecure.RSA.PublicKey(modulus: n, exponent: e) else { return nil }
            for alg in jwk.alg.map({ [$0] }) ?? rsaAlgorithms {
                guard rsaAlgorithms.contains(alg), let digest = digest(alg) else { continue }
                let keys = JWTKeyCollection()
                if alg.hasPrefix("RS") {
                    await keys.add(rsa: key, digestAlgorithm: digest, kid: JWKIdentifier(string: jwk.kid))
                } else {
                    await keys.add(pss: key, digestAlgorithm: digest, kid: JWKIdentifier(string: jwk.kid))
                }
                algorithms[alg] = keys
            }
        case "EC":
            guard jwk.alg == nil || jwk.alg == "ES256", jwk.crv == "P-256", let x = jwk.x, let y = jwk.y,
                let key = try? ES256PublicKey(parameters: (x: x, y: y))
            else { return nil }
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: key, kid: JWKIdentifier(string: jwk.kid))
            algorithms["ES256"] = keys
        default:
            return nil
        }
        return algorithms.isEmpty ? nil : Entry(algorithms: algorithms, published: jwk.alg ?? jwk.kty)
    }

    static func digest(_ alg: String) -> DigestAlgorithm? {
        switch alg.suffix(3) {
        case "256": .sha256
        case "384": .sha384
        case "512": .sha512
        default: nil
        }
    }

    /// Verifies the signature of `token` and decodes its payload. `allowed`: the
    /// algorithms the issuer says it signs with (discovery's
    /// `id_token_signing_alg_values_supported`), when known.
    public func verify<Payload: JWTPayload>(
        _ token: String, as: Payload.Type, allowed: Set<String>? = nil
    ) async throws(JOSEError) -> (Payload, JOSEHeader) {
        let header = try JOSEHeader(token: token)
        guard header.alg != "none", !header.alg.hasPrefix("HS") else {
            throw JOSEError(
                .jwtAlgorithmMismatch, field: "alg", value: header.alg, detail: "\(header.alg) is never accepted with a published public key")
        }
        guard let kid = header.kid else {
            throw JOSEError(.jwtKeyIDMissing, detail: "the token's header names no key (kid)")
        }
        guard let entry = entries[kid] else {
            throw JOSEError(.jwtKeyIDUnknown, value: kid, detail: "no published key has kid '\(kid)'")
        }
        guard let keys = entry.algorithms[header.alg] else {
            throw JOSEError(
                .jwtAlgorithmMismatch, field: "alg", value: header.alg,
                detail: "key '\(kid)' is published for \(entry.published), the token says \(header.alg)")
        }
        if let allowed, !allowed.contains(header.alg) {
            throw JOSEError(
                .jwtAlgorithmMismatch, field: "alg", value: header.alg,
                detail: "the issuer does not sign with \(header.alg) (it lists \(allowed.sorted().joined(separator: ", ")))")
        }
        do {
            return (try await keys.verify(token, as: Payload.self), header)
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

/// A key as a JWKS publishes it: only `kty` and (here) `kid` are required.
struct PublishedKey: Decodable {
    let kty: String
    let kid: String
    let alg: String?
    let use: String?
    let n: String?
    let e: String?
    let crv: String?
    let x: String?
    let y: String?
}

/// A JWKS whose unreadable keys decode as nil instead of failing the whole set.
struct LenientJWKS: Decodable {
    struct Key: Decodable {
        let value: PublishedKey?
        init(from decoder: any Decoder) throws {
            value = try? PublishedKey(from: decoder)
        }
    }

    let keys: [Key]
}
