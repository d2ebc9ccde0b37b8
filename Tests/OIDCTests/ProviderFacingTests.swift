import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import Testing
@testable import OIDC

/// What a relying party reads of an OpenID Provider it did not write: discovery as the
/// specification says (required members required, the rest optional, unknown ones
/// ignored) and keys published without `alg`.
@Suite struct ProviderFacingTests {
    let validator = IDTokenValidatorTests()

    /// The server's JWKS with every key's `alg` removed, as some providers publish it.
    func keysWithoutAlg(_ keys: ServerSigningKeys) async throws -> VerificationKeySet {
        var document = try JSONSerialization.jsonObject(with: keys.jwks.json()) as! [String: Any]
        document["keys"] = (document["keys"] as! [[String: Any]]).map { key in key.filter { $0.key != "alg" } }
        return try await VerificationKeySet(jwks: try JSONSerialization.data(withJSONObject: document))
    }

    @Test func keysPublishedWithoutAlgVerifyWhatTheirTypeAllows() async throws {
        let keys = try await validator.serverKeys()
        let set = try await keysWithoutAlg(keys)
        for algorithm in ["RS256", "PS256", "ES256"] {
            let token = try await keys.sign(validator.claims(), algorithm: algorithm)
            let (claims, header) = try await set.verify(token, as: IDTokenClaims.self)
            #expect(claims.sub == "alice")
            #expect(header.alg == algorithm)
        }
    }

    @Test func anAlgorithmTheProviderDoesNotListOrThatIsNoneOrHMACIsRefused() async throws {
        let keys = try await validator.serverKeys()
        let set = try await keysWithoutAlg(keys)
        let ps256 = try await keys.sign(validator.claims(), algorithm: "PS256")
        await #expect(throws: JOSEError(.jwtAlgorithmMismatch, detail: "")) {
            try await set.verify(ps256, as: IDTokenClaims.self, allowed: ["RS256"])
        }
        // An EC key never verifies an RSA algorithm, whatever the header says.
        let rs256 = try await keys.sign(validator.claims(), algorithm: "RS256")
        let parts = rs256.split(separator: ".")
        var header = try JSONSerialization.jsonObject(with: Data(base64URLEncoded: String(parts[0]))!) as! [String: Any]
        let ecKid = try await keys.verificationKeys().keyIDs.first { $0.hasSuffix("-es256") }
        header["kid"] = ecKid
        let swapped = try JSONSerialization.data(withJSONObject: header).base64URLEncodedString() + "." + parts[1] + "." + parts[2]
        await #expect(throws: JOSEError(.jwtAlgorithmMismatch, detail: "")) { try await set.verify(swapped, as: IDTokenClaims.self) }
        for alg in ["none", "HS256"] {
            header["alg"] = alg
            let forged = try JSONSerialization.data(withJSONObject: header).base64URLEncodedString() + "." + parts[1] + "."
            await #expect(throws: JOSEError(.jwtAlgorithmMismatch, detail: "")) { try await set.verify(forged, as: IDTokenClaims.self) }
        }
    }

    @Test func anEncryptionKeyIsNeverUsedToVerify() async throws {
        let keys = try await validator.serverKeys()
        var document = try JSONSerialization.jsonObject(with: keys.jwks.json()) as! [String: Any]
        document["keys"] = (document["keys"] as! [[String: Any]]).map { key in key.merging(["use": "enc"]) { $1 } }
        let set = try await VerificationKeySet(jwks: try JSONSerialization.data(withJSONObject: document))
        #expect(set.keyIDs.isEmpty)
    }

    static let minimal = """
        {"issuer": "https://op.example", "authorization_endpoint": "https://op.example/authorize",
         "token_endpoint": "https://op.example/token", "jwks_uri": "https://op.example/jwks",
         "response_types_supported": ["code"], "subject_types_supported": ["public"],
         "id_token_signing_alg_values_supported": ["RS256"], "x_vendor_extension": {"any": [1, 2]}}
        """

    @Test func discoveryWithOnlyTheRequiredMembersIsRead() throws {
        let metadata = try ProviderMetadata(json: Data(Self.minimal.utf8))
        #expect(metadata.tokenEndpoint == "https://op.example/token")
        #expect(metadata.revocationEndpoint == nil)
        #expect(metadata.userinfoEndpoint == nil)
        // RFC 9207: not said is not promised.
        #expect(!metadata.authorizationResponseIssParameterSupported)
        // Our own document reads too (it has everything).
        let ours = DiscoveryDocument(issuer: "https://is.example", scopes: ["openid"], claims: [], signingAlgorithms: ["RS256"])
        #expect(try ProviderMetadata(json: JSONEncoder().encode(ours)).authorizationResponseIssParameterSupported)
        // What the relying party needs and the provider does not offer is named.
        #expect(throws: JOSEError(.discoveryEndpointMissing, detail: "")) { try metadata.endpoint(\.revocationEndpoint, named: "revocation_endpoint") }
    }

    @Test(arguments: ["jwks_uri", "issuer", "id_token_signing_alg_values_supported"])
    func aMissingRequiredMemberIsNamed(_ member: String) throws {
        var document = try JSONSerialization.jsonObject(with: Data(Self.minimal.utf8)) as! [String: Any]
        document.removeValue(forKey: member)
        let data = try JSONSerialization.data(withJSONObject: document)
        do {
            _ = try ProviderMetadata(json: data)
            Issue.record("a document without \(member) was accepted")
        } catch {
            #expect(error.code == .discoveryInvalid)
            #expect(error.field == member)
        }
    }

    @Test func aMemberOfTheWrongTypeIsRefused() throws {
        let wrong = Self.minimal.replacingOccurrences(of: "\"response_types_supported\": [\"code\"]", with: "\"response_types_supported\": \"code\"")
        #expect(throws: JOSEError(.discoveryInvalid, detail: "")) { try ProviderMetadata(json: Data(wrong.utf8)) }
        let optional = Self.minimal.replacingOccurrences(of: "\"x_vendor_extension\"", with: "\"authorization_response_iss_parameter_supported\": \"yes\", \"x\"")
        #expect(throws: JOSEError(.discoveryInvalid, detail: "")) { try ProviderMetadata(json: Data(optional.utf8)) }
        #expect(throws: JOSEError(.discoveryInvalid, detail: "")) { try ProviderMetadata(json: Data("[1]".utf8)) }
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
