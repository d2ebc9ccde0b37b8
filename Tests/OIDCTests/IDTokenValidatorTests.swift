import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import Testing
@testable import OIDC

/// The relying-party checks on ID tokens, each with its own code.
@Suite struct IDTokenValidatorTests {
    static let keys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mocks/keys")
    let now = Date(timeIntervalSince1970: 1_767_258_000)

    func serverKeys(_ name: String = "server") async throws -> ServerSigningKeys {
        let rsa = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: Self.keys.appendingPathComponent("\(name)-rsa.key"), encoding: .utf8))
        let ec = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: Self.keys.appendingPathComponent("\(name)-ec.key"), encoding: .utf8))
        return try await ServerSigningKeys(rsa: rsa, ec: ec)
    }

    func claims(aud: [String] = ["client"], azp: String? = nil, nonce: String? = "n", exp: TimeInterval = 300, iat: TimeInterval = 0) -> IDTokenClaims {
        IDTokenClaims(
            iss: "https://idp.example", sub: "alice", aud: aud, exp: now.addingTimeInterval(exp), iat: now.addingTimeInterval(iat), nonce: nonce,
            azp: azp, atHash: TokenHash.leftHalf("access"), claims: ["email": .string("alice@example.com")])
    }

    func validate(_ token: String, keys: ServerSigningKeys, nonce: String? = "n") async throws(JOSEError) -> IDTokenClaims {
        let validator = IDTokenValidator(
            issuer: "https://idp.example", clientID: "client", keys: try! await keys.verificationKeys(), clock: FixedWallClock(now))
        return try await validator.validate(token, nonce: nonce, accessToken: "access").claims
    }

    @Test(arguments: ["RS256", "PS256", "ES256"])
    func aTokenSignedWithEachAlgorithmValidates(algorithm: String) async throws {
        let keys = try await serverKeys()
        let validated = try await validate(try await keys.sign(claims(), algorithm: algorithm), keys: keys)
        #expect(validated.claims["email"] == .string("alice@example.com"))
    }

    @Test func eachBrokenClaimHasItsCode() async throws {
        let keys = try await serverKeys()
        let cases: [(IDTokenClaims, String?, ErrorCode)] = [
            (claims(aud: ["other"]), "n", .jwtAudienceMismatch),
            (claims(aud: ["client", "api"]), "n", .jwtAuthorizedPartyMismatch),
            (claims(nonce: "other"), "n", .jwtNonceMismatch),
            (claims(exp: -120), "n", .jwtExpired),
            (claims(iat: 600), "n", .jwtIssuedInFuture),
        ]
        for (claims, nonce, code) in cases {
            await #expect(throws: JOSEError(code, detail: "")) { try await validate(try await keys.sign(claims, algorithm: "RS256"), keys: keys, nonce: nonce) }
        }
    }

    @Test func aKeyFromAnotherServerIsUnknownAndAnAlgorithmSwapIsRefused() async throws {
        let keys = try await serverKeys()
        let attacker = try await serverKeys("attacker")
        await #expect(throws: JOSEError(.jwtKeyIDUnknown, detail: "")) {
            try await validate(try await attacker.sign(claims(), algorithm: "RS256"), keys: keys)
        }
        // Header says RS256 but names the PS256 key's kid: refused before any signature check.
        let token = try await keys.sign(claims(), algorithm: "RS256")
        let parts = token.split(separator: ".").map(String.init)
        let psKid = keys.jwks.keys.first { $0.alg == "PS256" }!.kid
        let header = Base64URL.encode(Data(#"{"alg":"RS256","kid":"\#(psKid)","typ":"JWT"}"#.utf8))
        await #expect(throws: JOSEError(.jwtAlgorithmMismatch, detail: "")) {
            try await validate([header, parts[1], parts[2]].joined(separator: "."), keys: keys)
        }
        let none = Base64URL.encode(Data(#"{"alg":"none","kid":"\#(keys.jwks.keys[0].kid)"}"#.utf8))
        await #expect(throws: JOSEError(.jwtAlgorithmMismatch, detail: "")) {
            try await validate([none, parts[1], ""].joined(separator: "."), keys: keys)
        }
        let noKid = Base64URL.encode(Data(#"{"alg":"RS256"}"#.utf8))
        await #expect(throws: JOSEError(.jwtKeyIDMissing, detail: "")) {
            try await validate([noKid, parts[1], parts[2]].joined(separator: "."), keys: keys)
        }
    }

    @Test func aChangedPayloadFailsTheSignature() async throws {
        let keys = try await serverKeys()
        let parts = try await keys.sign(claims(), algorithm: "ES256").split(separator: ".").map(String.init)
        var payload = try JSONSerialization.jsonObject(with: Base64URL.decode(parts[1])!) as! [String: Any]
        payload["sub"] = "admin"
        let forged = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload))
        await #expect(throws: JOSEError(.jwtSignatureInvalid, detail: "")) {
            try await validate([parts[0], forged, parts[2]].joined(separator: "."), keys: keys)
        }
    }

    /// OIDC Core §3.3.2.11: an ID token from the authorization endpoint beside a code
    /// carries c_hash, the hash of that code.
    @Test func anIDTokenBesideACodeMustCarryTheCodesHash() async throws {
        let keys = try await serverKeys()
        let validator = IDTokenValidator(
            issuer: "https://idp.example", clientID: "client", keys: try await keys.verificationKeys(), clock: FixedWallClock(now))
        var withHash = claims()
        withHash.cHash = TokenHash.leftHalf("the-code")
        let token = try await keys.sign(withHash, algorithm: "RS256")
        #expect(try await validator.validate(token, nonce: "n", code: "the-code").claims.sub == "alice")
        await #expect(throws: JOSEError(.jwtCodeHashMismatch, detail: "")) { try await validator.validate(token, nonce: "n", code: "another-code") }
        await #expect(throws: JOSEError(.jwtClaimMissing, detail: "")) {
            try await validator.validate(try await keys.sign(claims(), algorithm: "RS256"), nonce: "n", code: "the-code")
        }
    }

    @Test func aKeySetThatIsNotOneIsRefused() async throws {
        await #expect(throws: JOSEError(.jwksMalformed, detail: "")) { try await VerificationKeySet(jwks: Data("<html>".utf8)) }
        // One kid for two keys: which one signed would be the attacker's choice.
        let key = try await serverKeys().jwks.keys[0]
        await #expect(throws: JOSEError(.jwksMalformed, detail: "")) { try await VerificationKeySet(jwks: JWKSDocument(keys: [key, key]).json()) }
    }

    @Test func theJWKSPublishesEveryKeyWithKidAndAlg() async throws {
        let keys = try await serverKeys()
        #expect(Set(keys.jwks.keys.map(\.alg)) == ["RS256", "PS256", "ES256"])
        #expect(Set(keys.jwks.keys.map(\.kid)).count == 3)
        #expect(keys.jwks.keys.allSatisfy { $0.use == "sig" })
    }
}

@Suite struct ClaimResolverTests {
    @Test func scopesAndRequestedClaimsIntersectAndAddressIsAnObject() {
        let resolver = ClaimResolver()
        let values = [
            LocalClaims.givenName: "Carol", LocalClaims.emailAddress: "carol@example.com", LocalClaims.country: "LK",
            "http://wso2.org/claims/locality": "Colombo", "http://wso2.org/claims/emailVerified": "true",
        ]
        let released: Set<String> = [LocalClaims.givenName, LocalClaims.country, "http://wso2.org/claims/locality", "http://wso2.org/claims/emailVerified"]
        let claims = resolver.claims(scopes: ["openid", "profile", "address", "email"], table: OIDCScope.standard, released: released) {
            values[$0].map { [$0] } ?? []
        }
        #expect(claims == [
            "given_name": .string("Carol"), "address": .object(["country": .string("LK"), "locality": .string("Colombo")]),
            "email_verified": .bool(true),
        ])
        // email is bound to a granted scope but not requested by the SP: not released.
        #expect(claims["email"] == nil)
        #expect(resolver.claims(scopes: ["openid"], table: OIDCScope.standard, released: released) { values[$0].map { [$0] } ?? [] }.isEmpty)
        let roles = resolver.claims(
            scopes: ["roles"], table: [OIDCScope(name: "roles", claims: ["roles"])], released: [LocalClaims.role]) { _ in ["admin", "staff"] }
        #expect(roles == ["roles": .array([.string("admin"), .string("staff")])])
    }
}
