import Connectors
import Foundation
import ScenarioKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import IdentityCore
import OIDC
import Testing

/// Bad input at the OAuth endpoints: an OAuth-shaped error with a stable code, and
/// nothing stored.
@Suite struct OAuthBadInputTests {
    static let client = OIDCSettings(
        clientID: "app-client", clientSecretHash: ClientSecret.hash("app-secret"), callbackURLs: ["https://app.test/cb"],
        grantTypes: [.authorizationCode, .refreshToken, .clientCredentials])

    func server() async throws -> TestServer {
        let server = try await TestServer()
        try await server.runtime.storage.serviceProviders.create(ServiceProvider(name: "app", sections: [Self.client]))
        return server
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [String: String], basic: (String, String)? = ("app-client", "app-secret"))
        async throws -> TestResponse
    {
        var headers = formHeaders
        if let (id, secret) = basic { headers[.authorization] = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString() }
        return try await client.execute(uri: path, method: .post, headers: headers, body: form(fields))
    }

    func errorCode(_ response: TestResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["error"] as? String
    }

    @Test func eachBadTokenRequestGetsItsOAuthError() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let cases: [(String, [String: String], (String, String)?, HTTPResponse.Status, String)] = [
                ("unknown client", ["grant_type": "client_credentials"], ("nobody", "x"), .unauthorized, "invalid_client"),
                ("wrong secret", ["grant_type": "client_credentials"], ("app-client", "wrong"), .unauthorized, "invalid_client"),
                ("no grant type", [:], ("app-client", "app-secret"), .badRequest, "invalid_request"),
                ("unsupported grant", ["grant_type": "urn:example:magic"], ("app-client", "app-secret"), .badRequest, "unsupported_grant_type"),
                ("grant not allowed", ["grant_type": "password", "username": "alice", "password": "alice-password"], ("app-client", "app-secret"), .badRequest, "unauthorized_client"),
                ("unknown code", ["grant_type": "authorization_code", "code": "nope", "redirect_uri": "https://app.test/cb"], ("app-client", "app-secret"), .badRequest, "invalid_grant"),
                ("malformed assertion", ["grant_type": "client_credentials", "client_assertion_type": ClientAuthenticator.assertionType, "client_assertion": "not.a.jwt", "client_id": "app-client"], nil, .unauthorized, "invalid_client"),
                ("two methods", ["grant_type": "client_credentials", "client_id": "app-client", "client_secret": "app-secret"], ("app-client", "app-secret"), .badRequest, "invalid_request"),
            ]
            for (name, fields, basic, status, code) in cases {
                let response = try await post(client, "/oauth2/token", fields, basic: basic)
                #expect(response.status == status, "\(name)")
                #expect(errorCode(response) == code, "\(name): \(response.text)")
                #expect(response.headers[.contentType] == "application/json", "\(name)")
                #expect(response.headers[.cacheControl] == "no-store", "\(name)")
            }
            let wrong = try await post(client, "/oauth2/token", ["grant_type": "client_credentials"], basic: ("app-client", "wrong"))
            #expect(wrong.headers[.wwwAuthenticate] == "Basic realm=\"oauth2\"")
            #expect(try await server.runtime.storage.tokens.countActive() == 0)
        }
    }

    @Test func anOversizedTokenRequestIsRefusedAsInvalidRequest() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/oauth2/token", method: .post, headers: formHeaders, body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024))
            #expect(response.status == .badRequest)
            #expect(errorCode(response) == "invalid_request")
        }
    }

    @Test func aTokenRequestWithTooManyFieldsIsAnInvalidRequest() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let body = "grant_type=client_credentials&" + (0..<300).map { "x\($0)=1" }.joined(separator: "&")
            let response = try await client.execute(uri: "/oauth2/token", method: .post, headers: formHeaders, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(errorCode(response) == "invalid_request")
        }
    }

    @Test func authorizeErrorsArePagesUntilTheRedirectURIIsTrustedThenRedirects() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let untrusted = try await client.execute(
                uri: "/oauth2/authorize?client_id=app-client&redirect_uri=https%3A%2F%2Fevil.test%2Fcb&response_type=code", method: .get)
            #expect(untrusted.status == .badRequest)
            #expect(untrusted.errorCode == "oauth.redirect_uri_mismatch")
            #expect(untrusted.headers[.location] == nil)
            // A fragment (RFC 6749 §3.1.2) or an added query is another URI, never the registered one.
            for near in ["https%3A%2F%2Fapp.test%2Fcb%23frag", "https%3A%2F%2Fapp.test%2Fcb%3Fx%3D1"] {
                let response = try await client.execute(
                    uri: "/oauth2/authorize?client_id=app-client&redirect_uri=\(near)&response_type=code", method: .get)
                #expect(response.errorCode == "oauth.redirect_uri_mismatch", "\(near)")
                #expect(response.headers[.location] == nil, "\(near)")
            }
            let oversized = try await client.execute(
                uri: "/oauth2/authorize?client_id=app-client&response_type=code&state=" + String(repeating: "x", count: 3000), method: .get)
            #expect(oversized.errorCode == "oauth.invalid_request")
            #expect(oversized.headers[.location] == nil)
            let plain = try await client.execute(
                uri: "/oauth2/authorize?client_id=app-client&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code&state=s&code_challenge=" + String(repeating: "a", count: 43) + "&code_challenge_method=plain",
                method: .get)
            #expect(plain.status == .found)
            #expect(plain.headers[.location]?.hasPrefix("https://app.test/cb?error=invalid_request&") == true)
            #expect(plain.headers[.location]?.contains("state=s") == true)
            // RFC 6749 §4.1.2.1: a response type the server does not offer.
            let magic = try await client.execute(
                uri: "/oauth2/authorize?client_id=app-client&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=magic&state=s", method: .get)
            #expect(magic.headers[.location]?.hasPrefix("https://app.test/cb?error=unsupported_response_type&") == true)
            // An ID token without the openid scope: the error goes in the fragment, where
            // this response type's answer would have gone.
            try await server.runtime.storage.serviceProviders.create(
                ServiceProvider(name: "spa", sections: [OIDCSettings(clientID: "spa-client", callbackURLs: ["https://spa.test/cb"], grantTypes: [.implicit])]))
            let noOpenID = try await client.execute(
                uri: "/oauth2/authorize?client_id=spa-client&redirect_uri=https%3A%2F%2Fspa.test%2Fcb&response_type=id_token&scope=profile&nonce=n&state=s",
                method: .get)
            #expect(noOpenID.headers[.location]?.hasPrefix("https://spa.test/cb#error=invalid_scope&") == true, "\(noOpenID.headers[.location] ?? "")")
            #expect(try await server.flowCount() == 0)
        }
    }

    @Test func userinfoWithoutAValidTokenIsABearerError() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/oauth2/userinfo", method: .get, headers: [.authorization: "Bearer made-up"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer error=\"invalid_token\"")
            #expect(errorCode(response) == "invalid_token")
        }
    }

    @Test func aPrivateKeyJWTAssertionWorksOnceAndOnlyShortLived() async throws {
        let server = try await TestServer()
        let certificate = try String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.crt"), encoding: .utf8)
        try await server.runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "jwt-app", certificate: certificate,
                sections: [OIDCSettings(clientID: "jwt-client", callbackURLs: ["https://jwt.test/cb"], grantTypes: [.clientCredentials], tokenEndpointAuthMethod: .privateKeyJWT)]))
        let keys = JWTKeyCollection()
        await keys.add(
            rsa: try Insecure.RSA.PrivateKey(pem: String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.key"), encoding: .utf8)),
            digestAlgorithm: .sha256, kid: "k")
        @Sendable func assertion(jti: String?, lifetime: TimeInterval) async throws -> String {
            try await keys.sign(
                ClientAssertionClaims(
                    iss: "jwt-client", sub: "jwt-client", aud: "https://idp.test/oauth2/token", exp: server.clock.now.addingTimeInterval(lifetime), jti: jti),
                kid: "k")
        }
        try await server.application.test(.router) { client in
            func exchange(_ assertion: String) async throws -> TestResponse {
                try await post(client, "/oauth2/token", [
                    "grant_type": "client_credentials", "client_assertion_type": ClientAuthenticator.assertionType, "client_assertion": assertion,
                ], basic: nil)
            }
            let once = try await assertion(jti: "a1", lifetime: 60)
            #expect(try await exchange(once).status == .ok)
            let replay = try await exchange(once)
            #expect(replay.status == .unauthorized)
            // Why, for the operator only: the client hears the catalogue's message.
            #expect(server.log.text.contains("already used"))
            #expect(!replay.text.contains("already used"))
            #expect(replay.text.contains(ErrorCode.oauthInvalidClient.message))
            #expect(try await exchange(try await assertion(jti: nil, lifetime: 60)).status == .unauthorized)
            #expect(try await exchange(try await assertion(jti: "a2", lifetime: 3600)).status == .unauthorized)
            #expect(try await exchange(try await assertion(jti: "a3", lifetime: -10)).status == .unauthorized)
            let oversized = try await post(client, "/oauth2/token", [
                "grant_type": "client_credentials", "client_id": "jwt-client", "client_assertion_type": ClientAuthenticator.assertionType,
                "client_assertion": "e30." + String(repeating: "A", count: 17 * 1024) + ".x",
            ], basic: nil)
            #expect(oversized.status == .unauthorized)
            #expect(server.log.text.contains("is refused unread"), "\(server.log.text)")
            #expect(try await server.runtime.storage.tokens.countActive() == 1)
        }
    }

    @Test func repeatedParametersAtTheTokenEndpointAreRefused() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/oauth2/token", method: .post,
                headers: formHeaders.merging([.authorization: "Basic " + Data("app-client:app-secret".utf8).base64EncodedString()]),
                body: ByteBuffer(string: "grant_type=client_credentials&grant_type=password"))
            #expect(response.status == .badRequest)
            #expect(errorCode(response) == "invalid_request")
        }
    }

    /// A JWT bearer assertion whose issuer's JWKS cannot be fetched is not the client's
    /// fault: 503 `temporarily_unavailable`, never `invalid_grant`, and no token.
    @Test func aJWTBearerIssuerWhoseKeysCannotBeReadIsTemporarilyUnavailable() async throws {
        var settings = TestServer.settings
        settings.upstreamTimeoutSeconds = 1
        let server = try await TestServer(settings: settings)
        let issuer = "http://127.0.0.1:\(try LoopbackPort.free())/partner"  // nothing listens there
        try await server.runtime.storage.identityProviders.create(
            IdentityProvider(
                name: "partner", kind: .oidc,
                sections: [
                    OAuthConnectorSettings(
                        issuer: issuer, authorizationEndpoint: issuer + "/authorize", tokenEndpoint: issuer + "/token", jwksURI: issuer + "/jwks",
                        clientID: "server")
                ]))
        try await server.runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "bearer",
                sections: [OIDCSettings(clientID: "bearer-client", clientSecretHash: ClientSecret.hash("bearer-secret"), callbackURLs: [], grantTypes: [.jwtBearer])],
                sequence: AuthenticationSequence(steps: [.init(options: ["partner"])])))
        let assertion = Base64URL.encode(Array(#"{"alg":"RS256","kid":"k"}"#.utf8)) + "."
            + Base64URL.encode(Array(#"{"iss":"\#(issuer)","sub":"p","aud":"x","exp":4102444800,"jti":"j"}"#.utf8)) + ".c2ln"
        try await server.application.test(.router) { client in
            let response = try await post(
                client, "/oauth2/token", ["grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion],
                basic: ("bearer-client", "bearer-secret"))
            #expect(response.status == .serviceUnavailable)
            #expect(errorCode(response) == ErrorCode.oauthTemporarilyUnavailable.oauthError, "\(response.text)")
            #expect(try await server.runtime.storage.tokens.countActive() == 0)
        }
    }

    /// RFC 9126: a pushed request is good for one authorization request, by the client that
    /// pushed it, within its minute; a request_uri that is not one of ours is never fetched.
    @Test func aPushedRequestIsUsedOnceWithinItsMinuteByItsOwnClient() async throws {
        let server = try await server()
        try await server.runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "other",
                sections: [OIDCSettings(clientID: "other-client", clientSecretHash: ClientSecret.hash("other-secret"), callbackURLs: ["https://other.test/cb"])]))
        try await server.application.test(.router) { client in
            func push() async throws -> String {
                let response = try await post(
                    client, "/oauth2/par",
                    ["response_type": "code", "redirect_uri": "https://app.test/cb", "scope": "openid", "state": "s",
                     "code_challenge": PKCE.s256(String(repeating: "v", count: 43)), "code_challenge_method": "S256"])
                #expect(response.status == .created, "\(response.text)")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["expires_in"] as? Int == 60)
                return try #require(body?["request_uri"] as? String)
            }
            func authorize(_ clientID: String, _ uri: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(
                    uri: "/oauth2/authorize?client_id=\(clientID)&request_uri=\(URLEncoding.encode(uri))", method: .get)
                return (response.status, response.text)
            }
            let first = try await push()
            var (status, page) = try await authorize("other-client", first)
            #expect(status == .badRequest && page.contains("oauth.invalid_request_uri"), "another client's request_uri")
            (status, _) = try await authorize("app-client", first)
            #expect(status.code / 100 == 3, "its own client starts the login with it")
            (status, page) = try await authorize("app-client", first)
            #expect(status == .badRequest && page.contains("oauth.invalid_request_uri"), "a second use")

            let second = try await push()
            server.clock.advance(by: 61)
            (status, page) = try await authorize("app-client", second)
            #expect(status == .badRequest && page.contains("oauth.invalid_request_uri"), "after its minute")

            (status, page) = try await authorize("app-client", "https://attacker.example/request.jwt")
            #expect(status == .badRequest && page.contains("oauth.request_uri_not_supported"), "a URL to fetch")
        }
    }
}
