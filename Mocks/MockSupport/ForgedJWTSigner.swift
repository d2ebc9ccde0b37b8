import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import JWTKit
import OIDC

/// Signs JWTs with a key nobody trusts but under the trusted key's `kid`, as an attacker
/// who knows the JWKS would: the `unknown-key` fault. A relying party that checks the
/// signature against the published key refuses it.
struct ForgedJWTSigner: Sendable {
    let kid: String

    init(posingAs kid: String) {
        self.kid = kid
    }

    /// `payload` signed with the attacker's `key` under the trusted `kid`. The key comes at
    /// each call because it may still be being found when the mock starts listening
    /// (``BackgroundCredential``); only the `unknown-key` fault signs this way.
    func sign(_ payload: some JWTPayload, with key: _RSA.Signing.PrivateKey) async throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        let keys = JWTKeyCollection()
        await keys.add(
            rsa: try Insecure.RSA.PrivateKey(backing: key), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid),
            serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        var header = JWTHeader()
        header.typ = "JWT"
        return try await keys.sign(payload, kid: JWKIdentifier(string: kid), header: header)
    }

    /// The `unsigned` fault: `alg: none` and an empty signature (RFC 7519 §6), under the
    /// trusted key's `kid` — the algorithm substitution a relying party must refuse.
    func unsigned(_ claims: [String: ClaimValue]) throws -> String {
        let header = Base64URL.encode(Array(#"{"alg":"none","kid":"\#(kid)","typ":"JWT"}"#.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Base64URL.encode(Array(try encoder.encode(claims)))
        return "\(header).\(payload)."
    }
}
