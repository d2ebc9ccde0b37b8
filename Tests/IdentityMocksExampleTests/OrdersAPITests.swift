import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityMocks
import JWTKit
import Testing

// The worked example of README "The mocks in your own tests": an application — here a
// small Hummingbird API that accepts RFC 9068 access tokens — tested against an
// in-process mock OpenID Provider. Only the IdentityMocks product and the libraries such
// an application already has (Hummingbird, jwt-kit, AsyncHTTPClient) are used.

/// The application under test: `GET /orders` for a bearer token from `issuer`, for the
/// audience `orders-api`, with the scope `orders:read`. It reads the issuer's keys from
/// its discovery document, as a production API does.
enum OrdersAPI {
    struct AccessToken: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var scope: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try aud.verifyIntendedAudience(includes: "orders-api")
        }
    }

    static func router(issuer: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("orders") { request, _ -> Response in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return Response(status: .unauthorized) }
            guard let token = try? await verify(String(header.dropFirst(7)), issuer: issuer) else { return Response(status: .unauthorized) }
            guard token.scope?.split(separator: " ").contains("orders:read") == true else { return Response(status: .forbidden) }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "orders of \(token.sub.value)")))
        }
        return router
    }

    static func verify(_ token: String, issuer: String) async throws -> AccessToken {
        struct Discovery: Decodable { var jwks_uri: String }
        let discovery = try JSONDecoder().decode(Discovery.self, from: try await fetch(issuer + "/.well-known/openid-configuration"))
        let keys = JWTKeyCollection()
        try await keys.add(jwksJSON: String(decoding: try await fetch(discovery.jwks_uri), as: UTF8.self))
        let claims = try await keys.verify(token, as: AccessToken.self)
        guard claims.iss.value == issuer else { throw JWTError.claimVerificationFailure(failedClaim: claims.iss, reason: "another issuer") }
        return claims
    }

    static func fetch(_ url: String) async throws -> Data {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return Data(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}

@Suite struct OrdersAPITests {
    func get(_ api: some TestClientProtocol, token: String) async throws -> (HTTPResponse.Status, String) {
        let response = try await api.execute(uri: "/orders", method: .get, headers: [.authorization: "Bearer \(token)"])
        return (response.status, String(buffer: response.body))
    }

    @Test func anAccessTokenFromTheIssuerWithTheScopeOpensTheOrders() async throws {
        try await MockOpenIDProvider.withRunning { idp in
            try await Application(router: OrdersAPI.router(issuer: idp.issuer)).test(.router) { api in
                let token = try await idp.mintAccessToken(subject: "alice", audience: "orders-api", scope: "orders:read")
                let (status, body) = try await get(api, token: token)
                #expect(status == .ok && body == "orders of alice")
                // The API fetched the issuer's keys, as the mock saw.
                #expect(idp.observations.contains { $0.action == "jwks" })
            }
        }
    }

    @Test func theAPIRefusesExpiredForgedAndMisaddressedTokensAndAMissingScope() async throws {
        try await MockOpenIDProvider.withRunning { idp in
            try await Application(router: OrdersAPI.router(issuer: idp.issuer)).test(.router) { api in
                for fault in [IdPFault.expired, .wrongAudience, .wrongIssuer, .unknownKey, .unsigned] {
                    let token = try await idp.mintAccessToken(subject: "alice", audience: "orders-api", scope: "orders:read", faults: [fault])
                    #expect(try await get(api, token: token).0 == .unauthorized, "\(fault.rawValue)")
                }
                let otherIssuer = try await idp.mintAccessToken(
                    subject: "alice", audience: "orders-api", scope: "orders:read", issuer: idp.issuer(named: "other"))
                #expect(try await get(api, token: otherIssuer).0 == .unauthorized, "a token of another issuer at the same mock")
                let noScope = try await idp.mintAccessToken(subject: "alice", audience: "orders-api", scope: "orders:write")
                #expect(try await get(api, token: noScope).0 == .forbidden)
            }
        }
    }

    @Test func aTokenFromTheClientCredentialsGrantWorksLikeAMintedOne() async throws {
        // The whole round trip an integration test makes: a client gets a token at the
        // token endpoint (any client: the mock lists none), then calls the API.
        var options = MockOpenIDProvider.Options()
        options.requestMappings = [IdPProfile.RequestMapping(match: ["client_id": "reporting"], claims: ["department": "finance"])]
        try await MockOpenIDProvider.withRunning(options) { idp in
            var request = HTTPClientRequest(url: idp.tokenEndpoint)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials&client_id=reporting&client_secret=s&scope=orders%3Aread&resource=orders-api"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            struct TokenResponse: Decodable { var access_token: String }
            let token = try JSONDecoder().decode(TokenResponse.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20))).access_token
            try await Application(router: OrdersAPI.router(issuer: idp.issuer)).test(.router) { api in
                let (status, body) = try await get(api, token: token)
                #expect(status == .ok && body == "orders of reporting")
            }
            // The request mapping's claim is in the token.
            let payload = try #require(Data(base64Encoded: Self.base64(token.split(separator: ".")[1])))
            #expect(String(decoding: payload, as: UTF8.self).contains("\"department\":\"finance\""))
        }
    }

    static func base64(_ base64url: Substring) -> String {
        var text = base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return text
    }
}
