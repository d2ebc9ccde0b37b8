import AsyncHTTPClient
import AuthFramework
import Crypto
import _CryptoExtras
import Foundation
import HTTPServing
import IdentityCore
import IdentityStorage
import OIDC
import SAML
import Testing
import XMLSecurity
@testable import Connectors

/// Each way an upstream IdP's answer can be wrong, over real HTTP, refused with its own
/// connector code (FE-3) — and the one right answer accepted, so the refusals cannot pass
/// by refusing everything.
@Suite(.serialized) struct ConnectorRefusalsTests {
    static let keys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mocks/keys")
    static let now = Date(timeIntervalSince1970: 1_767_258_000)
    static let callback = "https://server.test/commonauth"

    static func pem(_ name: String) throws -> String { try String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8) }

    /// Runs `body` with a fake upstream, an HTTP client and the connector registry.
    func withUpstream(timeout: Duration = .seconds(5), _ body: (FakeUpstream, ConnectorRegistry) async throws -> Void) async throws {
        let upstream = try await FakeUpstream()
        // Configured as the server's own clients are (OutboundHTTP): a failed connection
        // fails its request at once, without retries.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let registry = Connectors.registry(
            client: client, clock: FixedWallClock(Self.now), random: SeededRandomSource(seed: 3), replays: InMemoryReplayStore(),
            entityID: "https://server.test", credential: nil, timeout: timeout)
        do {
            try await body(upstream, registry)
        } catch {
            try await client.shutdown()
            await upstream.stop()
            throw error
        }
        try await client.shutdown()
        await upstream.stop()
    }

    func openIDProvider(_ upstream: FakeUpstream, issuer: String? = "https://op.test", userinfo: Bool = true) -> IdentityProvider {
        IdentityProvider(
            name: "op", kind: .oidc,
            sections: [OAuthConnectorSettings(
                issuer: issuer, authorizationEndpoint: "https://op.test/authorize", tokenEndpoint: upstream.baseURL + "/token",
                userInfoEndpoint: userinfo ? upstream.baseURL + "/userinfo" : nil, jwksURI: upstream.baseURL + "/jwks", clientID: "server",
                clientSecret: "secret", scopes: ["openid"])])
    }

    /// The connector's start: what the login keeps (state, nonce) for its callback.
    func start(_ idp: IdentityProvider, _ registry: ConnectorRegistry) async throws -> (context: Data, nonce: String?) {
        let started = try await registry.connector(for: idp.kind)!.start(idp, state: "st-1", callbackURL: Self.callback)
        let login = try JSONDecoder().decode(OAuthLoginContext.self, from: started.context)
        return (started.context, login.nonce)
    }

    func finish(_ idp: IdentityProvider, _ registry: ConnectorRegistry, _ response: [String: String], _ context: Data) async throws -> FederatedIdentity {
        try await registry.connector(for: idp.kind)!.finish(idp, response: response, context: context, callbackURL: Self.callback)
    }

    /// An ID token the OP signs with its key, and the JWKS that publishes that key.
    func signedIDToken(sub: String, nonce: String?) async throws -> (token: String, jwks: String) {
        let keys = try await ServerSigningKeys(rsa: try _RSA.Signing.PrivateKey(pemRepresentation: Self.pem("idp-rsa.key")), ec: nil)
        let claims = IDTokenClaims(
            iss: "https://op.test", sub: sub, aud: ["server"], exp: Self.now.addingTimeInterval(300), iat: Self.now, nonce: nonce,
            claims: ["email": .string("\(sub)@op.test")])
        return (try await keys.sign(claims, algorithm: "RS256"), String(decoding: keys.jwks.json(), as: UTF8.self))
    }

    @Test func anAnswerForAnotherLoginIsRefusedBeforeTheCodeIsExchanged() async throws {
        try await withUpstream { upstream, registry in
            let idp = openIDProvider(upstream)
            let (context, _) = try await start(idp, registry)
            await #expect(throws: ConnectorError(.connectorStateMismatch, detail: "")) {
                try await finish(idp, registry, ["state": "st-other", "code": "c-1"], context)
            }
            await #expect(throws: ConnectorError(.connectorResponseMalformed, detail: "")) {
                try await finish(idp, registry, ["state": "st-1"], context)
            }
            #expect(upstream.requested.isEmpty, "a doubtful answer's code was sent to the token endpoint")
        }
    }

    @Test func theTokenEndpointsRefusalIsReportedWithItsError() async throws {
        try await withUpstream { upstream, registry in
            let idp = openIDProvider(upstream)
            let (context, _) = try await start(idp, registry)
            upstream.answer("/token", #"{"error":"invalid_grant","error_description":"the code was used"}"#, status: .badRequest)
            do {
                _ = try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
                Issue.record("a refused code signed someone in")
            } catch let error as ConnectorError {
                #expect(error.code == .connectorTokenRefused)
                #expect(error.value == "invalid_grant")
            }
            // Facebook's Graph API words its refusals as an object.
            upstream.answer("/token", #"{"error":{"message":"bad code","type":"OAuthException","code":100}}"#, status: .badRequest)
            await #expect(throws: ConnectorError(.connectorTokenRefused, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
            // An answer that is neither tokens nor an OAuth error.
            upstream.answer("/token", #"{"token_type":"Bearer"}"#)
            await #expect(throws: ConnectorError(.connectorResponseMalformed, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
        }
    }

    @Test func anIdPAnsweringWithAnErrorStatusIsUpstreamFailed() async throws {
        try await withUpstream { upstream, registry in
            let idp = openIDProvider(upstream)
            let (context, nonce) = try await start(idp, registry)
            let (token, jwks) = try await signedIDToken(sub: "alice", nonce: nonce)
            upstream.answer("/token", #"{"access_token":"at-1","token_type":"Bearer","id_token":"\#(token)"}"#)
            // Tokens, but the key set answers 503.
            upstream.answer("/jwks", #"{"error":"down"}"#, status: .serviceUnavailable)
            await #expect(throws: ConnectorError(.connectorUpstreamFailed, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
            // Keys, but userinfo fails.
            upstream.answer("/jwks", jwks)
            upstream.answer("/userinfo", #"{}"#, status: .internalServerError)
            await #expect(throws: ConnectorError(.connectorUpstreamFailed, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
        }
    }

    /// An IdP nothing listens for could not be reached (at once: the client does not retry)
    /// — not a timeout, which is an IdP that took the request and never answered.
    @Test func anIdPThatIsDownCouldNotBeReached() async throws {
        try await withUpstream(timeout: .seconds(1)) { upstream, registry in
            let closed = try ReservedLoopbackPort()
            var idp = openIDProvider(upstream)
            idp.oauth?.tokenEndpoint = "http://127.0.0.1:\(closed.port)/token"
            let (context, _) = try await start(idp, registry)
            await #expect(throws: ConnectorError(.connectorUpstreamFailed, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
            withExtendedLifetime(closed) {}
        }
    }

    @Test func userinfoAboutSomeoneElseIsRefusedAndAboutTheSamePersonMerged() async throws {
        try await withUpstream { upstream, registry in
            let idp = openIDProvider(upstream)
            let (context, nonce) = try await start(idp, registry)
            let (token, jwks) = try await signedIDToken(sub: "alice", nonce: nonce)
            upstream.answer("/token", #"{"access_token":"at-1","token_type":"Bearer","id_token":"\#(token)"}"#)
            upstream.answer("/jwks", jwks)
            // OIDC Core §5.3.2: the sub of userinfo must be the ID token's.
            upstream.answer("/userinfo", #"{"sub":"mallory","email":"mallory@op.test"}"#)
            await #expect(throws: ConnectorError(.connectorSubjectMismatch, detail: "")) {
                try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            }
            upstream.answer("/userinfo", #"{"sub":"alice","email":"other@op.test","locale":"en-GB"}"#)
            let identity = try await finish(idp, registry, ["state": "st-1", "code": "c-1"], context)
            #expect(identity.subject == "alice")
            // What the signed ID token says wins over userinfo; userinfo adds what it lacks.
            #expect(identity.claims["email"] == ["alice@op.test"])
            #expect(identity.claims["locale"] == ["en-GB"])
        }
    }

    @Test func anIdPWithoutTheSettingsItsKindNeedsIsMisconfigured() async throws {
        try await withUpstream { upstream, registry in
            let noIssuer = openIDProvider(upstream, issuer: nil)
            let (context, _) = try await start(noIssuer, registry)
            await #expect(throws: ConnectorError(.connectorMisconfigured, detail: "")) {
                try await finish(noIssuer, registry, ["state": "st-1", "code": "c-1"], context)
            }
            let bareSAML = IdentityProvider(name: "bare", kind: .saml)
            await #expect(throws: ConnectorError(.connectorMisconfigured, detail: "")) {
                try await registry.connector(for: .saml)!.start(bareSAML, state: "st-1", callbackURL: Self.callback)
            }
        }
    }

    // MARK: SAML

    func samlProvider() throws -> IdentityProvider {
        IdentityProvider(
            name: "partner", kind: .saml,
            sections: [SAMLConnectorSettings(idpEntityID: "https://idp.test", ssoURL: "https://idp.test/sso", certificates: [try Self.pem("idp-rsa.crt")])])
    }

    /// A Response from the IdP to the request `context` remembers, signed with its key.
    func samlResponse(answering context: Data) throws -> String {
        let requestID = try JSONDecoder().decode(SAMLLoginContext.self, from: context).requestID
        let xml = try SAMLResponseBuilder(clock: FixedWallClock(Self.now), random: SeededRandomSource(seed: 9)).build(
            SAMLResponseParameters(
                issuer: "https://idp.test", destination: Self.callback, inResponseTo: requestID, audiences: ["https://server.test"],
                recipient: Self.callback, validity: 300, status: .success,
                assertion: SAMLAssertionContent(
                    nameID: "sam", nameIDFormat: NameIDFormat.persistent.rawValue, attributes: [SAMLAttribute(name: "mail", values: ["sam@idp.test"])],
                    authnInstant: Self.now, sessionIndex: "_s1"),
                signing: SAMLSigningOptions(
                    credential: try SigningCredential(keyPEM: Self.pem("idp-rsa.key"), certificatePEM: Self.pem("idp-rsa.crt")),
                    algorithm: .rsaSHA256, digest: .sha256, signResponse: true, signAssertion: true)))
        return Data(xml.utf8).base64EncodedString()
    }

    @Test func aSAMLAssertionSignsSomeoneInOnceAndOnlyForItsOwnLogin() async throws {
        try await withUpstream { _, registry in
            let idp = try samlProvider()
            let context = try await registry.connector(for: .saml)!.start(idp, state: "rs-1", callbackURL: Self.callback).context
            let response = try samlResponse(answering: context)
            await #expect(throws: ConnectorError(.connectorStateMismatch, detail: "")) {
                try await finish(idp, registry, ["SAMLResponse": response, "RelayState": "rs-other"], context)
            }
            await #expect(throws: ConnectorError(.connectorResponseMalformed, detail: "")) {
                try await finish(idp, registry, ["RelayState": "rs-1"], context)
            }
            let identity = try await finish(idp, registry, ["SAMLResponse": response, "RelayState": "rs-1"], context)
            #expect(identity.subject == "sam")
            #expect(identity.claims["mail"] == ["sam@idp.test"])
            // The same assertion posted again (a double submit, a replay within the
            // request's window) is refused: each assertion is good for one login.
            await #expect(throws: SAMLError(.samlReplayed, detail: "")) {
                try await finish(idp, registry, ["SAMLResponse": response, "RelayState": "rs-1"], context)
            }
        }
    }
}
