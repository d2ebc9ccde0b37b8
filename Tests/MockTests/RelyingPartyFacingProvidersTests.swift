import AsyncHTTPClient
import Foundation
import HTTPServing
import HTTPTypes
import Hummingbird
import IdentityCore
import HummingbirdTesting
@testable import MockSupport
import StrictYAML
import Testing

/// The mock relying party against an OpenID Provider that offers only what the
/// specifications require: it logs in, and what the provider does wrong is a recorded
/// observation with a code — never a bare 500.
@Suite struct RelyingPartyFacingProvidersTests {
    /// A provider serving a discovery document (made from its own base URL) and a token
    /// endpoint that refuses every code, as `invalid_grant`.
    static func provider(_ document: @escaping @Sendable (String) -> [String: Any]) async throws -> InProcessServer {
        try await InProcessServer.start { onListening in
            let router = Router()
            router.get("/.well-known/openid-configuration") { request, _ -> Response in
                let base = "http://" + (request.head.authority ?? "")
                let data = try JSONSerialization.data(withJSONObject: document(base))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            router.post("/token") { _, _ -> Response in
                Response(status: .badRequest, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(string: #"{"error":"invalid_grant"}"#)))
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await onListening("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") })
        }
    }

    /// Discovery 1.0's required members, nothing else.
    static func required(_ base: String) -> [String: Any] {
        [
            "issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token", "jwks_uri": base + "/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
        ]
    }

    static func relyingParty(issuer: String) async throws -> (MockRelyingParty, InProcessServer) {
        let profile = try StrictYAML.decode(RPProfile.self, from: "kind: oidc\nclientID: rp-1\nclientSecret: s3cret\n", file: "rp.yaml")
        let rp = try await MockRelyingParty(
            profile: profile, directory: URL(fileURLWithPath: "/"),
            placeholders: Placeholders(values: ["server": issuer], baseDirectory: URL(fileURLWithPath: "/")),
            clock: FixedWallClock(Date()), random: SeededRandomSource(seed: 7))
        return (rp, try await rp.start(host: "127.0.0.1", tap: nil))
    }

    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    static func get(_ url: String) async throws -> (status: Int, location: String?, body: String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "location"), String(buffer: body))
    }

    @Test func aLoginStartsAgainstAProviderWithOnlyTheRequiredDiscoveryMembers() async throws {
        let provider = try await Self.provider(Self.required)
        let (rp, server) = try await Self.relyingParty(issuer: provider.baseURL)
        defer { Task { await server.stop(); await provider.stop() } }
        let login = try await Self.get(server.baseURL + "/login")
        #expect(login.status == 302)
        #expect(login.location?.hasPrefix(provider.baseURL + "/authorize?") == true)
        // The provider never promised RFC 9207's `iss`: a callback without it goes on to the
        // token endpoint (which refuses this code), not to an iss error.
        let state = try #require(URLComponents(string: login.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
        _ = try await Self.get(server.baseURL + "/callback?code=c-1&state=\(state)")
        #expect(rp.observations.last?.error == "invalid_grant")
        // Present, it must still be the issuer.
        let again = try await Self.get(server.baseURL + "/login")
        let second = try #require(URLComponents(string: again.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
        _ = try await Self.get(server.baseURL + "/callback?code=c-2&state=\(second)&iss=https%3A%2F%2Fevil.example")
        #expect(rp.observations.last?.error == "rp.iss_mismatch")
        // An optional endpoint it does not offer, asked for: named, and recorded.
        _ = try await Self.get(server.baseURL + "/revoke")
        #expect(rp.observations.last?.action == "revoke")
        #expect(rp.observations.last?.error == "discovery.endpoint_missing")
        #expect(rp.observations.last?.errorDescription?.contains("revocation_endpoint") == true)
    }

    @Test func aProviderThatPromisesIssMustSendIt() async throws {
        let provider = try await Self.provider { base in
            Self.required(base).merging(["authorization_response_iss_parameter_supported": true]) { $1 }
        }
        let (rp, server) = try await Self.relyingParty(issuer: provider.baseURL)
        defer { Task { await server.stop(); await provider.stop() } }
        let login = try await Self.get(server.baseURL + "/login")
        let state = try #require(URLComponents(string: login.location ?? "")?.queryItems?.first { $0.name == "state" }?.value)
        _ = try await Self.get(server.baseURL + "/callback?code=c-1&state=\(state)")
        #expect(rp.observations.last?.error == "rp.iss_missing")
    }

    @Test func unusableMetadataIsARecordedObservationNamingTheMember() async throws {
        let provider = try await Self.provider { base in Self.required(base).filter { $0.key != "jwks_uri" } }
        let (rp, server) = try await Self.relyingParty(issuer: provider.baseURL)
        defer { Task { await server.stop(); await provider.stop() } }
        let login = try await Self.get(server.baseURL + "/login")
        #expect(login.status == 200)
        #expect(login.body.contains("discovery.invalid"))
        let observation = try #require(rp.observations.last)
        #expect(observation.action == "login")
        #expect(observation.error == "discovery.invalid")
        #expect(observation.errorDescription?.contains("jwks_uri") == true)
    }

    @Test func anAnswerTheRPCannotReadIsA500WithACodeNotAnEmptyBody() async throws {
        // A discovery document over the RP's 1 MiB read limit: a failure no code covers.
        let provider = try await InProcessServer.start { onListening in
            let router = Router()
            router.get("/.well-known/openid-configuration") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(string: "{" + String(repeating: " ", count: 1_200_000) + "}")))
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await onListening("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") })
        }
        let (_, server) = try await Self.relyingParty(issuer: provider.baseURL)
        defer { Task { await server.stop(); await provider.stop() } }
        let login = try await Self.get(server.baseURL + "/login")
        #expect(login.status == 500)
        let body = try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any]
        #expect(body?["error"] as? String == "mock.internal_error")
        #expect((body?["detail"] as? String)?.contains("over 1 MiB") == true)
    }

    struct Unforeseen: Error {}

    @Test func aFailureNoCodeCoversIsA500WithTheMockCodeAndWhatHappened() async throws {
        let router = Router()
        router.get("/boom") { _, _ -> Response in throw Unforeseen() }
        try await Application(responder: MockEdgeResponder(inner: router.buildResponder(), hsts: false)).test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get)
            #expect(response.status == .internalServerError)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
            #expect(body?["error"] == "mock.internal_error")
            #expect(body?["message"]?.contains("Unforeseen") == true)
            // A route that is not there is still a plain 404.
            #expect(try await client.execute(uri: "/nowhere", method: .get).status == .notFound)
        }
    }
}
