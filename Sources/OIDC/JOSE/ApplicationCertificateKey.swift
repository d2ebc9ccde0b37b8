import Foundation
import JWTKit

/// The key of an application's certificate (SP-2) as a JWS verification key, for the one
/// algorithm a token says it was signed with: RS256 or PS256 for an RSA key, ES256 for a
/// P-256 key — never `none` or an HMAC, whose "key" would be public. Used for
/// `private_key_jwt` client assertions and for signed request objects (RFC 9101).
enum ApplicationCertificateKey {
    struct Problem: Error {
        let detail: String
    }

    static let algorithms = ["RS256", "PS256", "ES256"]

    static func keys(certificate: String, alg: String) async throws(Problem) -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        if let rsa = try? Insecure.RSA.PublicKey(certificatePEM: certificate) {
            switch alg {
            case "RS256": await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: "client")
            case "PS256": await keys.add(pss: rsa, digestAlgorithm: .sha256, kid: "client")
            default: throw Problem(detail: "an RSA application key signs with RS256 or PS256, not \(alg)")
            }
        } else if let ec = try? ES256PublicKey(certificate: certificate) {
            guard alg == "ES256" else { throw Problem(detail: "a P-256 application key signs with ES256, not \(alg)") }
            await keys.add(ecdsa: ec, kid: "client")
        } else {
            throw Problem(detail: "the application certificate has no usable key")
        }
        return keys
    }
}
