import Foundation
import IdentityCore
import StrictYAML
import Testing
@testable import ScenarioKit

/// What lets the suite judge an OpenID Provider it did not write: the target's issuer,
/// the django-oauth-toolkit adapter's translation, and a portable comparison that leaves
/// out a provider's own wording and what only an optional feature produces.
@Suite struct OpenIDProviderTargetTests {
    static func registration(_ yaml: String) throws -> JSONValue {
        try OtherServersTests.registration(yaml)
    }

    @Test func aDjangoApplicationMeansWhatTheRegistrationMeans() throws {
        let (clientID, application) = try DjangoOAuthToolkitAdapter.application(for: Self.registration("""
            name: pickup
            oidc: {clientID: pickup-client, clientSecret: s3cret, callbackURLs: ["http://rp/callback"], grantTypes: [authorization_code, refresh_token]}
            claims:
              skipConsent: true
              mappings:
                - local: http://wso2.org/claims/emailaddress
                - local: givenname
                - local: http://wso2.org/claims/locality
                - local: http://wso2.org/claims/mobile
                  requested: false
            """))
        #expect(clientID == "pickup-client")
        #expect(application["client_type"] == .string("confidential"))
        #expect(application["client_secret"] == .string("s3cret"))
        #expect(application["grant_type"] == .string("authorization-code"))
        #expect(application["redirect_uris"] == .array([.string("http://rp/callback")]))
        #expect(application["skip_authorization"] == .bool(true))
        #expect(application["pkce_required"] == .bool(false))
        // OIDC names; an address member by itself; a claim not requested is not offered.
        #expect(application["claims"] == .array(["address.locality", "email", "given_name"].map(JSONValue.string)))
    }

    @Test func aPublicOrPKCEMandatoryClientMustUsePKCEThereAndConsentIsAskedUnlessSkipped() throws {
        let (_, publicClient) = try DjangoOAuthToolkitAdapter.application(for: Self.registration(
            "name: spa\noidc: {clientID: spa, tokenEndpointAuthMethod: none, callbackURLs: ['http://rp/cb']}\n"))
        #expect(publicClient["client_type"] == .string("public"))
        #expect(publicClient["pkce_required"] == .bool(true))
        #expect(publicClient["skip_authorization"] == .bool(false))
        let (_, mandatory) = try DjangoOAuthToolkitAdapter.application(for: Self.registration(
            "name: m\noidc: {clientID: m, clientSecret: s, pkceMandatory: true, callbackURLs: ['http://rp/cb'], grantTypes: [client_credentials]}\n"))
        #expect(mandatory["pkce_required"] == .bool(true))
        #expect(mandatory["grant_type"] == .string("client-credentials"))
    }

    @Test(arguments: [
        "name: r\noidc: {clientID: r, callbackURLs: ['regexp=http://rp/cb/.*']}\n",  // no regexp callbacks
        "name: r\noidc: {clientID: r, callbackURLs: ['http://rp/cb'], idTokenSigningAlgorithm: ES256}\n",  // RS256 only
        "name: r\noidc: {clientID: r, callbackURLs: ['http://rp/cb'], tokenEndpointAuthMethod: private_key_jwt}\n",
        "name: r\noidc: {clientID: r, callbackURLs: ['http://rp/cb'], grantTypes: [device_code]}\n",
        "name: r\nsaml: {issuer: r}\n",  // not an OAuth client
    ])
    func whatTheToolkitCannotHoldFailsTheRegistrationNamingIt(_ yaml: String) throws {
        #expect(throws: ScenarioError.self) { try DjangoOAuthToolkitAdapter.application(for: Self.registration(yaml)) }
    }

    @Test func aUsersClaimsGetTheirOIDCNamesWithTheAddressAsOneObject() throws {
        let claims = DjangoOAuthToolkitAdapter.oidcClaims(try Self.registration("""
            {emailaddress: carol@example.com, givenname: Carol, mobile: "+94 77", streetaddress: 12 Galle Road, country: LK, unknownclaim: x}
            """))
        #expect(claims == [
            "email": .string("carol@example.com"), "given_name": .string("Carol"), "phone_number": .string("+94 77"),
            "address": .object(["street_address": .string("12 Galle Road"), "country": .string("LK")]),
        ])
    }

    @Test func theToolkitLabStateKeepsOnlyWhatWasThereBefore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-dot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try StrictYAML.decode(TargetFile.self, from: """
            frontChannel: http://127.0.0.1:9490
            backChannel: http://127.0.0.1:9490
            adapter: django-oauth-toolkit
            adapterSettings: {directory: "\(directory.path)"}
            oidc: {issuer: "{server}/o"}
            """, file: "t.yaml")
        file.directory = directory
        #expect(file.oidc?.issuer == "{server}/o")
        let adapter = try DjangoOAuthToolkitAdapter(file: file)
        let target = ConformanceTarget.Remote(file: file, client: .shared, adapter: adapter)
        try await adapter.addUser(Self.registration("{username: alice, password: pw, claims: {emailaddress: a@example.com}}"), on: target, client: .shared)
        let before = try await adapter.inventory(of: target, client: .shared)
        try await adapter.register(
            Self.registration("name: rp\noidc: {clientID: rp, clientSecret: s, callbackURLs: ['http://rp/cb']}\n"), identityProvider: false, on: target,
            client: .shared)
        await #expect(throws: ScenarioError.self) {
            try await adapter.register(
                Self.registration("name: rp\noidc: {clientID: rp, clientSecret: s, callbackURLs: ['http://rp/cb']}\n"), identityProvider: false,
                on: target, client: .shared)
        }
        await #expect(throws: ScenarioError.self) {
            try await adapter.addUser(Self.registration("{username: alice, password: other}"), on: target, client: .shared)
        }
        let state = try JSONValue(parsing: Data(contentsOf: directory.appendingPathComponent("harness-state.json")))
        #expect(state["users"]?["alice"]?["email"] == .string("a@example.com"))
        #expect(state["applications"]?["rp"]?["client_secret"] == .string("s"))
        try await adapter.removeAdded(since: before, on: target, client: .shared)
        #expect(try await adapter.inventory(of: target, client: .shared) == before)
    }

    @Test func theIssuerBecomesAPlaceholderOnlyWhereTheRPWasToldIt() {
        let identities = ["http://op.example/o": "{server.issuer}"]
        let observed = JSONValue.array([
            .object([
                "issuerParameter": .string("http://op.example/o"),
                "idToken": .object(["iss": .string("http://op.example/o"), "sub": .string("http://op.example/o")]),
            ]),
            .object(["action": .string("discovery"), "response": .object(["issuer": .string("http://op.example/o"), "jwks_uri": .string("http://op.example/o")])]),
            .object(["idToken": .object(["iss": .string("https://evil.example")])]),
        ])
        let named = ScenarioRunner.naming(observed, identities).arrayValue ?? []
        #expect(named[0]["issuerParameter"] == .string("{server.issuer}"))
        #expect(named[0]["idToken"]?["iss"] == .string("{server.issuer}"))
        // The same text in another field is data; a wrong issuer shows as it came.
        #expect(named[0]["idToken"]?["sub"] == .string("http://op.example/o"))
        #expect(named[1]["response"]?["issuer"] == .string("{server.issuer}"))
        #expect(named[1]["response"]?["jwks_uri"] == .string("http://op.example/o"))
        #expect(named[2]["idToken"]?["iss"] == .string("https://evil.example"))
    }

    @Test func anotherProvidersWordingAndWhatItsMissingFeaturesWouldSendAreNotCompared() {
        let expected = JSONValue.object([
            "error": .string("invalid_grant"), "errorDescription": .string("The grant is invalid."), "issuerParameter": .string("{server.issuer}"),
        ])
        let actual = JSONValue.object(["error": .string("invalid_grant"), "errorDescription": .string("Invalid grant.")])
        func differences(_ capabilities: Set<Capability>, _ actual: JSONValue = actual) -> [String] {
            VectorDiff.compare(
                expected: expected, actual: actual, ignoring: Vector.wording, mayBeAbsent: Vector.mayBeAbsent(for: capabilities)
            ).map(\.path)
        }
        #expect(differences([.oidcOP]).isEmpty)
        // Sent by a target without the capability, a wrong iss still counts.
        #expect(differences([.oidcOP], .object(["error": .string("invalid_grant"), "issuerParameter": .string("https://evil.example")])) == ["issuerParameter"])
        // A provider that has RFC 9207 must send iss.
        #expect(differences([.oidcOP, .issParameter]) == ["issuerParameter"])
        // The error code always counts.
        #expect(differences([.oidcOP], .object(["error": .string("invalid_request")])) == ["error"])
        // A reference run compares the wording too.
        #expect(VectorDiff.compare(expected: expected, actual: actual).map(\.path) == ["errorDescription", "issuerParameter"])
    }
}
