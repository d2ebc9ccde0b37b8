import AsyncHTTPClient
import Crypto
import _CryptoExtras
import Foundation
import HTTPServing
import Hummingbird
import IdentityCore
import OIDC
@testable import MockSupport
import Testing

/// The mock RP as the target of a provider's back-channel logout (OpenID Connect
/// Back-Channel Logout 1.0): it acts on a logout token once, and refuses what is not one —
/// what an application under test should do, shown by the mock that plays one.
@Suite struct BackchannelLogoutTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func keys() async throws -> ServerSigningKeys {
        let pem = try String(contentsOf: repository.appendingPathComponent("Mocks/keys/server-rsa.key"), encoding: .utf8)
        return try await ServerSigningKeys(rsa: try _RSA.Signing.PrivateKey(pemRepresentation: pem), ec: nil)
    }

    /// A provider with the required discovery members and its keys at `jwks_uri`.
    static func provider(_ keys: ServerSigningKeys) async throws -> InProcessServer {
        try await InProcessServer.start { onListening in
            let router = Router()
            router.get("/.well-known/openid-configuration") { request, _ -> Response in
                let data = try JSONSerialization.data(withJSONObject: RelyingPartyFacingProvidersTests.required("http://" + (request.head.authority ?? "")))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            router.get("/jwks") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: keys.jwks.json())))
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await onListening("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") })
        }
    }

    static func post(_ url: String, logoutToken: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "logout_token=" + URLEncoding.encode(logoutToken)))
        return Int(try await RelyingPartyFacingProvidersTests.client.execute(request, timeout: .seconds(10)).status.code)
    }

    @Test func aLogoutTokenIsHonouredOnceAndWhatIsNotOneIsRefused() async throws {
        let keys = try await Self.keys()
        let provider = try await Self.provider(keys)
        let (rp, server) = try await RelyingPartyFacingProvidersTests.relyingParty(issuer: provider.baseURL)
        defer { Task { await server.stop(); await provider.stop() } }
        let now = Date()
        func token(jti: String, nonce: String? = nil) async throws -> String {
            var claims = LogoutTokenClaims(
                iss: provider.baseURL, aud: ["rp-1"], iat: now, exp: now.addingTimeInterval(120), jti: jti, sub: "alice", sid: "s-1")
            claims.nonce = nonce
            return try await keys.sign(claims, algorithm: "RS256", typ: LogoutTokenClaims.type)
        }
        let first = try await token(jti: "j-1")
        #expect(try await Self.post(server.baseURL + "/backchannel-logout", logoutToken: first) == 200)
        #expect(rp.observations.last?.logout?.valid == true)
        #expect(rp.observations.last?.logout?.typ == "logout+jwt")
        // The same token again is a replay: refused, nothing ended twice.
        #expect(try await Self.post(server.baseURL + "/backchannel-logout", logoutToken: first) == 400)
        #expect(rp.observations.last?.logout?.error == ErrorCode.jwtReplayed.rawValue)
        // A token with a nonce is not a logout token, whatever its signature.
        #expect(try await Self.post(server.baseURL + "/backchannel-logout", logoutToken: try await token(jti: "j-2", nonce: "n")) == 400)
        #expect(rp.observations.last?.logout?.error == ErrorCode.jwtNotALogoutToken.rawValue)
    }
}
