import Crypto
import _CryptoExtras
import Foundation
import IdentityCore
import Testing
@testable import OIDC

/// Back-Channel Logout 1.0 §2.6: what an RP checks before it ends a session on a logout
/// token, each refusal with its code.
@Suite struct LogoutTokenValidatorTests {
    let now = Date(timeIntervalSince1970: 1_767_258_000)

    func keys() async throws -> ServerSigningKeys {
        let rsa = try _RSA.Signing.PrivateKey(
            pemRepresentation: String(contentsOf: IDTokenValidatorTests.keys.appendingPathComponent("server-rsa.key"), encoding: .utf8))
        return try await ServerSigningKeys(rsa: rsa, ec: nil)
    }

    func token(
        _ keys: ServerSigningKeys, typ: String = LogoutTokenClaims.type, aud: String = "client", iat: TimeInterval = 0, sub: String? = "alice",
        sid: String? = "s-1", change: (inout LogoutTokenClaims) -> Void = { _ in }
    ) async throws -> String {
        var claims = LogoutTokenClaims(
            iss: "https://idp.example", aud: [aud], iat: now.addingTimeInterval(iat), exp: now.addingTimeInterval(iat + 120), jti: "j-1",
            sub: sub, sid: sid)
        change(&claims)
        return try await keys.sign(claims, algorithm: "RS256", typ: typ)
    }

    func validate(_ token: String, _ keys: ServerSigningKeys) async throws(JOSEError) -> LogoutTokenClaims {
        try await LogoutTokenValidator(
            idTokens: IDTokenValidator(issuer: "https://idp.example", clientID: "client", keys: try! await keys.verificationKeys(), clock: FixedWallClock(now))
        ).validate(token)
    }

    @Test func aLogoutTokenNamingTheSessionValidates() async throws {
        let keys = try await keys()
        let claims = try await validate(try await token(keys), keys)
        #expect(claims.sid == "s-1")
        #expect(claims.sub == "alice")
        #expect(claims.events[LogoutTokenClaims.event] == [:])
    }

    @Test func whatIsNotALogoutTokenIsRefused() async throws {
        let keys = try await keys()
        // An ID token's type, a nonce, no event, or naming no one.
        for (token, field) in [
            (try await token(keys, typ: "JWT"), "typ"),
            (try await token(keys) { $0.nonce = "n-1" }, "nonce"),
            (try await token(keys) { $0.events = [:] }, "events"),
            (try await token(keys, sub: nil, sid: nil), "sid"),
        ] {
            do {
                _ = try await validate(token, keys)
                Issue.record("accepted a token with a bad \(field)")
            } catch {
                #expect(error.code == .jwtNotALogoutToken)
                #expect(error.field == field)
            }
        }
    }

    @Test func anotherAudienceAnOldOrAFutureTokenIsRefused() async throws {
        let keys = try await keys()
        await #expect(throws: JOSEError(.jwtAudienceMismatch, detail: "")) { try await validate(try await token(keys, aud: "other"), keys) }
        await #expect(throws: JOSEError(.jwtExpired, detail: "")) { try await validate(try await token(keys, iat: -3600), keys) }
        await #expect(throws: JOSEError(.jwtIssuedInFuture, detail: "")) { try await validate(try await token(keys, iat: 600), keys) }
    }
}
