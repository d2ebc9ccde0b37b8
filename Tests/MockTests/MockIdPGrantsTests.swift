import Crypto
import _CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import StrictYAML
import Testing

/// The generic mock OpenID Provider's token endpoint beyond the code (issue 20): refresh
/// tokens for offline access (rotated when the profile says so), an application's own
/// token, and RFC 9068 JWT access tokens an API can check with the JWKS alone.
@Suite struct MockIdPGrantsTests {
    static let client: HTTPFields = [
        .contentType: "application/x-www-form-urlencoded",
        .authorization: "Basic " + Data("identity-server:partner-client-secret".utf8).base64EncodedString(),
    ]
    static let redirect = "http://127.0.0.1:1/commonauth"

    func provider(_ extra: [(String, ConfigValue)] = []) async throws -> MockIdentityProvider {
        try await MockRefusalsTests().identityProvider("partner-oidc", overrides: .object([("autoLogin", .string("paula"))] + extra))
    }

    func post(_ client: some TestClientProtocol, _ fields: [(String, String)]) async throws -> [String: String] {
        let response = try await client.execute(uri: "/partner/token", method: .post, headers: Self.client, body: ByteBuffer(string: URLEncoding.query(fields)))
        // The string members (expires_in, a number, is left out).
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
        var answer = object.compactMapValues { $0 as? String }
        answer["status"] = String(response.status.code)
        return answer
    }

    /// A code for paula with `scope`.
    func code(_ client: some TestClientProtocol, scope: String) async throws -> String {
        let authorize = "/partner/authorize?response_type=code&client_id=identity-server&state=s&scope=" + URLEncoding.encode(scope)
            + "&redirect_uri=" + URLEncoding.encode(Self.redirect)
        let location = try #require(try await client.execute(uri: authorize, method: .get).headers[.location])
        return try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
    }

    @Test func offlineAccessGivesARefreshTokenThatRotatesAndCannotWidenTheScope() async throws {
        let idp = try await provider([("rotateRefreshTokens", .bool(true))])
        try await Application(router: idp.router()).test(.router) { client in
            let first = try await post(client, [
                ("grant_type", "authorization_code"), ("code", try await code(client, scope: "openid email offline_access")), ("redirect_uri", Self.redirect),
            ])
            let refreshToken = try #require(first["refresh_token"])
            let refreshed = try await post(client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", "openid")])
            #expect(refreshed["status"] == "200" && refreshed["scope"] == "openid" && refreshed["access_token"] != first["access_token"])
            #expect(refreshed["refresh_token"] != nil && refreshed["refresh_token"] != refreshToken, "rotated")
            let reused = try await post(client, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
            #expect(reused["status"] == "400" && reused["error"] == "invalid_grant", "a rotated refresh token is spent")
            let wider = try await post(client, [("grant_type", "refresh_token"), ("refresh_token", refreshed["refresh_token"] ?? ""), ("scope", "openid phone")])
            #expect(wider["error"] == "invalid_scope")
            // Without offline_access there is no refresh token.
            let online = try await post(client, [
                ("grant_type", "authorization_code"), ("code", try await code(client, scope: "openid")), ("redirect_uri", Self.redirect),
            ])
            #expect(online["status"] == "200" && online["refresh_token"] == nil)
        }
    }

    @Test func anApplicationGetsAnRFC9068AccessTokenItsAPICanVerifyWithTheJWKSAlone() async throws {
        let idp = try await provider([("accessTokens", .string("jwt"))])
        try await Application(router: idp.router()).test(.router) { client in
            let answer = try await post(client, [("grant_type", "client_credentials"), ("scope", "orders:read openid")])
            #expect(answer["status"] == "200" && answer["scope"] == "orders:read" && answer["id_token"] == nil && answer["refresh_token"] == nil)
            let token = try #require(answer["access_token"])
            let parts = token.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            func object(_ part: String) throws -> [String: Any] {
                let data = try #require(Base64URL.decode(part))
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
            let header = try object(parts[0])
            let claims = try object(parts[1])
            #expect(header["typ"] as? String == "at+jwt" && header["alg"] as? String == "RS256")
            #expect(claims["client_id"] as? String == "identity-server" && claims["sub"] as? String == "identity-server")
            #expect(claims["scope"] as? String == "orders:read" && claims["jti"] != nil && claims["exp"] != nil)
            // The signature checks out with the published key of the header's kid.
            let body = Data(buffer: try await client.execute(uri: "/partner/jwks", method: .get).body)
            let jwks = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let key = try #require((jwks["keys"] as? [[String: Any]])?.first { $0["kid"] as? String == header["kid"] as? String })
            let modulus = try #require(Base64URL.decode(key["n"] as? String ?? ""))
            let exponent = try #require(Base64URL.decode(key["e"] as? String ?? ""))
            let publicKey = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            let signatureBytes = try #require(Base64URL.decode(parts[2]))
            let signature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
            #expect(publicKey.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8), padding: .insecurePKCS1v1_5))
            // An application's token names no person: userinfo refuses it.
            let userinfo = try await client.execute(uri: "/partner/userinfo", method: .get, headers: [.authorization: "Bearer " + token])
            #expect(userinfo.status == .unauthorized)
        }
    }

    @Test func aClientIntrospectsAndRevokesItsOwnTokensOnlyAndThePasswordGrantNamesATestUser() async throws {
        let idp = try await provider()
        try await Application(router: idp.router()).test(.router) { client in
            let issued = try await post(client, [("grant_type", "password"), ("username", "paula"), ("password", "anything"), ("scope", "openid email")])
            #expect(issued["status"] == "200" && issued["id_token"] != nil)
            let token = try #require(issued["access_token"])
            func introspect(_ token: String) async throws -> [String: Any] {
                let response = try await client.execute(
                    uri: "/partner/introspect", method: .post, headers: Self.client, body: ByteBuffer(string: "token=" + URLEncoding.encode(token)))
                return (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
            }
            let live = try await introspect(token)
            #expect(live["active"] as? Bool == true && live["username"] as? String == "paula" && live["scope"] as? String == "openid email")
            #expect(live["sub"] as? String == "7f1c9e0a-paula" && live["client_id"] as? String == "identity-server")
            #expect(try await introspect("not-a-token")["active"] as? Bool == false)
            let revoked = try await client.execute(
                uri: "/partner/revoke", method: .post, headers: Self.client, body: ByteBuffer(string: "token=" + URLEncoding.encode(token)))
            #expect(revoked.status == .ok)
            #expect(try await introspect(token)["active"] as? Bool == false)
            let userinfo = try await client.execute(uri: "/partner/userinfo", method: .get, headers: [.authorization: "Bearer " + token])
            #expect(userinfo.status == .unauthorized, "a revoked token opens nothing")
            let stranger = try await post(client, [("grant_type", "password"), ("username", "nobody"), ("password", "x")])
            #expect(stranger["error"] == "invalid_grant")
        }
    }

    @Test func aRotatedKeySignsFromThenOnAndTheOldOneStaysPublishedForItsGraceOnly() async throws {
        let file = MockRefusalsTests.mocks.appendingPathComponent("idps/partner-oidc.yaml")
        guard case .idp(let profile) = try PartyProfile.load(file, overrides: .object([("accessTokens", .string("jwt"))])) else { return }
        let clock = FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000))
        let idp = try await MockIdentityProvider(
            profile: profile, directory: file.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": "http://127.0.0.1:1"], baseDirectory: file.deletingLastPathComponent()),
            clock: clock, random: SeededRandomSource(seed: 1))
        try await Application(router: idp.router()).test(.router) { client in
            func kids() async throws -> [String] {
                let body = Data(buffer: try await client.execute(uri: "/partner/jwks", method: .get).body)
                let jwks = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                // Each RSA key is published for RS256 and PS256; the RS256 entries name the keys.
                return (jwks?["keys"] as? [[String: Any]] ?? []).filter { $0["alg"] as? String == "RS256" }.compactMap { $0["kid"] as? String }
            }
            func tokenKid() async throws -> String? {
                let token = try await post(client, [("grant_type", "client_credentials")])["access_token"] ?? ""
                let header = Base64URL.decode(String(token.split(separator: ".").first ?? "")).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                return header?["kid"] as? String
            }
            let before = try await kids()
            let firstKid = try await tokenKid()
            #expect(before.count == 1 && firstKid == before.first)
            let rotated = try await client.execute(
                uri: "/_mock/keys/rotate", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "grace=600"))
            #expect(rotated.status == .ok)
            let after = try await kids()
            #expect(after.count == 2 && after.last == before.first, "the new key first, the old one still published")
            let newKid = try await tokenKid()
            #expect(newKid == after.first, "tokens are signed with the new key")
            clock.advance(by: 601)
            let later = try await kids()
            #expect(later == [after[0]], "past its grace the old key is gone")
            let bad = try await client.execute(
                uri: "/_mock/keys/rotate", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "grace=soon"))
            #expect(bad.status == .badRequest)
        }
    }

    @Test func anExpiredAccessTokenIsInactiveAndOpensNothingAndAnIntrospectionNeedsAToken() async throws {
        let file = MockRefusalsTests.mocks.appendingPathComponent("idps/partner-oidc.yaml")
        guard case .idp(let profile) = try PartyProfile.load(file) else { return }
        let clock = FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000))
        let idp = try await MockIdentityProvider(
            profile: profile, directory: file.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": "http://127.0.0.1:1"], baseDirectory: file.deletingLastPathComponent()),
            clock: clock, random: SeededRandomSource(seed: 1))
        try await Application(router: idp.router()).test(.router) { client in
            let token = try #require(try await post(client, [("grant_type", "password"), ("username", "paula"), ("password", "x")])["access_token"])
            func introspect(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/partner/introspect", method: .post, headers: Self.client, body: ByteBuffer(string: body))
            }
            func active(_ response: TestResponse) -> Bool? {
                ((try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any])?["active"] as? Bool
            }
            #expect(active(try await introspect("token=" + token)) == true)
            #expect(try await introspect("").status == .badRequest, "no token is invalid_request")
            clock.advance(by: 3_600)
            #expect(active(try await introspect("token=" + token)) == false)
            let userinfo = try await client.execute(uri: "/partner/userinfo", method: .get, headers: [.authorization: "Bearer " + token])
            #expect(userinfo.status == .unauthorized, "an expired token opens nothing")
        }
    }

    @Test func anotherGrantIsRefusedAsUnsupported() async throws {
        let idp = try await provider()
        try await Application(router: idp.router()).test(.router) { client in
            let answer = try await post(client, [("grant_type", "urn:example:unknown")])
            #expect(answer["status"] == "400" && answer["error"] == "unsupported_grant_type")
            let discovery = String(buffer: try await client.execute(uri: "/partner/.well-known/openid-configuration", method: .get).body)
            #expect(discovery.contains("client_credentials") && discovery.contains("refresh_token"))
        }
    }
}
