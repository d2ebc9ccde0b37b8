import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import StrictYAML
import Testing

/// The generic mock OpenID Provider as a developer meets it (issue 20): the device grant,
/// JWT bearer assertions, token exchange, any client when the profile lists none, claims
/// from request mappings and from the login page, minting with claims and faults, and
/// how `mock-idp` is configured from flags and environment.
@Suite struct MockIdPDeveloperTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let clock = Date(timeIntervalSince1970: 1_767_258_000)

    /// The built-in developer provider (any client), with `change` applied to its profile.
    func developer(_ change: (inout IdPProfile) -> Void = { _ in }) async throws -> (MockIdentityProvider, FixedWallClock) {
        var profile = try IdPProfile.developerDefault
        change(&profile)
        let clock = FixedWallClock(Self.clock)
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let idp = try await MockIdentityProvider(
            profile: profile, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: clock,
            random: SeededRandomSource(seed: 7))
        return (idp, clock)
    }

    /// A form POST; the answer's members (strings as they are, other values as JSON) and status.
    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], headers: HTTPFields = form) async throws -> [String: String] {
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: URLEncoding.query(fields)))
        var answer = Self.members(Data(buffer: response.body))
        answer["status"] = String(response.status.code)
        return answer
    }

    static func members(_ data: Data) -> [String: String] {
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return object.mapValues { value in
            if let text = value as? String { return text }
            return (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    /// A JWT's payload members.
    static func payload(_ jwt: String?) -> [String: String] {
        let parts = (jwt ?? "").split(separator: ".")
        guard parts.count >= 2, let data = Base64URL.decode(String(parts[1])) else { return [:] }
        return members(data)
    }

    @Test func aDeviceIsPendingUntilThePersonApprovesAndItsCodeIsSpentOnce() async throws {
        let (idp, clock) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            let started = try await post(client, "/dev/device_authorization", [("client_id", "tv"), ("scope", "openid offline_access")])
            let deviceCode = try #require(started["device_code"])
            let userCode = try #require(started["user_code"])
            #expect(userCode.count == 9 && userCode.allSatisfy { $0 == "-" || "BCDFGHJKLMNPQRSTVWXZ".contains($0) })
            #expect(started["verification_uri_complete"]?.hasSuffix("/dev/device?user_code=\(userCode)") == true)
            let poll: [(String, String)] = [("client_id", "tv"), ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode)]
            let early = try await post(client, "/dev/token", poll)
            #expect(early["error"] == "authorization_pending")
            let stranger = try await post(client, "/dev/token", [("client_id", "radio")] + poll.dropFirst())
            #expect(stranger["error"] == "invalid_grant", "another client cannot redeem the device code")
            // The person types the code in lower case, with a space: it is still theirs.
            let typed = userCode.lowercased().replacingOccurrences(of: "-", with: " ")
            let page = String(buffer: try await client.execute(uri: "/dev/device?user_code=" + URLEncoding.encode(typed), method: .get).body)
            let request = try #require(page.firstMatch(of: /name="request" value="([^"]+)"/)?.1)
            let done = try await client.execute(
                uri: "/_mock/login", method: .post, headers: Self.form, body: ByteBuffer(string: URLEncoding.query([("request", String(request)), ("user", "alice")])))
            #expect(String(buffer: done.body).contains("Your device is connected: you may return to it."))
            clock.advance(by: 5)
            let tokens = try await post(client, "/dev/token", poll)
            #expect(tokens["status"] == "200" && tokens["id_token"] != nil && tokens["refresh_token"] != nil)
            #expect(Self.payload(tokens["access_token"])["sub"] == "alice")
            let reused = try await post(client, "/dev/token", poll)
            #expect(reused["error"] == "invalid_grant", "a device code is spent by its tokens")
            // A refused device, and one nobody decides on in time.
            let refused = try await post(client, "/dev/device_authorization", [("client_id", "tv")])
            let refusedPage = String(buffer: try await client.execute(uri: "/dev/device?user_code=" + (refused["user_code"] ?? ""), method: .get).body)
            let refusedRequest = try #require(refusedPage.firstMatch(of: /name="request" value="([^"]+)"/)?.1)
            _ = try await client.execute(
                uri: "/_mock/login", method: .post, headers: Self.form, body: ByteBuffer(string: URLEncoding.query([("request", String(refusedRequest)), ("action", "deny")])))
            let refusedPoll = [("client_id", "tv"), ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", refused["device_code"] ?? "")]
            let refusedAnswer = try await post(client, "/dev/token", refusedPoll)
            #expect(refusedAnswer["error"] == "access_denied")
            let late = try await post(client, "/dev/device_authorization", [("client_id", "tv")])
            clock.advance(by: 601)
            let latePoll = [("client_id", "tv"), ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", late["device_code"] ?? "")]
            let lateAnswer = try await post(client, "/dev/token", latePoll)
            #expect(lateAnswer["error"] == "expired_token")
            let unknown = try await client.execute(uri: "/dev/device?user_code=BCDF-GHJK", method: .get)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func aJWTBearerAssertionMintedHereIsExchangedOnceAndOnlyForThisIssuersTokenEndpoint() async throws {
        let (idp, _) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            func assertion(_ fields: [(String, String)]) async throws -> String {
                var headers = Self.form
                headers[.accept] = "application/json"
                return try #require(try await post(client, "/_mock/dev/token", fields, headers: headers)["token"])
            }
            let grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
            let good = try await assertion([("subject", "bob"), ("audience", idp.baseURL + "/dev/token")])
            let answer = try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", grant), ("assertion", good), ("scope", "openid email")])
            #expect(answer["status"] == "200" && Self.payload(answer["id_token"])["email"] == "bob@example.com")
            let again = try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", grant), ("assertion", good)])
            #expect(again["error"] == "invalid_grant" && again["error_description"]?.contains("jti") == true, "an assertion is used once")
            let elsewhere = try await assertion([("subject", "bob"), ("audience", "https://other.example/token")])
            let misaddressed = try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", grant), ("assertion", elsewhere)])
            #expect(misaddressed["error"] == "invalid_grant")
            let otherIssuer = try await assertion([("subject", "bob"), ("audience", idp.baseURL + "/dev/token")])
            let atOther = try await post(client, "/other/token", [("client_id", "batch"), ("grant_type", grant), ("assertion", otherIssuer)])
            #expect(atOther["error"] == "invalid_grant", "an assertion of issuer dev is no good at issuer other")
            let forged = try await assertion([("subject", "bob"), ("audience", idp.baseURL + "/dev/token"), ("faults", "unknown-key")])
            let forgedAnswer = try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", grant), ("assertion", forged)])
            #expect(forgedAnswer["error"] == "invalid_grant")
            let withoutAssertion = try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", grant)])
            #expect(withoutAssertion["error"] == "invalid_request")
        }
    }

    @Test func tokenExchangeNarrowsTheScopeNamesTheActorAndNeverWidens() async throws {
        let (idp, _) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            let subject = try #require(try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", "password"), ("username", "alice"), ("scope", "openid orders:read orders:write"),
            ])["access_token"])
            let service = try #require(try await post(client, "/dev/token", [("client_id", "gateway"), ("grant_type", "client_credentials")])["access_token"])
            let exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
            let accessType = "urn:ietf:params:oauth:token-type:access_token"
            let exchanged = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", subject), ("subject_token_type", accessType),
                ("actor_token", service), ("actor_token_type", accessType), ("audience", "orders-api"), ("scope", "orders:read"),
            ])
            #expect(exchanged["status"] == "200" && exchanged["issued_token_type"] == accessType && exchanged["id_token"] == nil && exchanged["refresh_token"] == nil)
            let claims = Self.payload(exchanged["access_token"])
            #expect(claims["sub"] == "alice" && claims["aud"] == "orders-api" && claims["scope"] == "orders:read" && claims["act"] == #"{"sub":"gateway"}"#)
            let wider = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", subject), ("subject_token_type", accessType), ("scope", "admin"),
            ])
            #expect(wider["error"] == "invalid_scope")
            let bogus = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", "nope"), ("subject_token_type", accessType),
            ])
            #expect(bogus["error"] == "invalid_request", "RFC 8693 §2.2.2: an invalid subject_token is invalid_request")
            let strangeType = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", subject), ("subject_token_type", "urn:example:saml"),
            ])
            #expect(strangeType["error"] == "invalid_request")
            // An ID token this issuer signed is a subject too.
            let idToken = try #require(try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", "password"), ("username", "bob"), ("scope", "openid"),
            ])["id_token"])
            let fromIDToken = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", idToken), ("subject_token_type", "urn:ietf:params:oauth:token-type:id_token"),
            ])
            #expect(Self.payload(fromIDToken["access_token"])["sub"] == "bob")
        }
    }

    @Test func aProfileWithClientsHoldsThemExactlyAndOneWithoutTakesAnyClient() async throws {
        let (open, _) = try await developer()
        try await Application(router: open.router()).test(.router) { client in
            let authorize = "/dev/authorize?response_type=code&client_id=anything&login_hint=alice&redirect_uri=" + URLEncoding.encode("http://localhost:3000/cb")
            let location = try await client.execute(uri: authorize, method: .get).headers[.location]
            #expect(location?.hasPrefix("http://localhost:3000/cb?code=") == true)
            let javascript = "/dev/authorize?response_type=code&client_id=anything&redirect_uri=" + URLEncoding.encode("javascript:alert(1)")
            let scriptRedirect = try await client.execute(uri: javascript, method: .get)
            #expect(scriptRedirect.status == .badRequest, "only http(s) redirect URIs, even here")
        }
        let (closed, _) = try await developer { profile in
            profile.clients = [
                IdPProfile.Client(clientID: "web", clientSecret: "s3cret", redirectURIs: ["http://localhost:3000/cb"]),
                IdPProfile.Client(clientID: "cli", clientSecret: nil, redirectURIs: ["http://127.0.0.1:8400/"]),
            ]
        }
        try await Application(router: closed.router()).test(.router) { client in
            let stranger = "/dev/authorize?response_type=code&client_id=anything&redirect_uri=" + URLEncoding.encode("http://localhost:3000/cb")
            let strangerPage = try await client.execute(uri: stranger, method: .get)
            #expect(strangerPage.status == .badRequest)
            let wrongSecret = try await post(client, "/dev/token", [("client_id", "web"), ("client_secret", "wrong"), ("grant_type", "client_credentials")])
            #expect(wrongSecret["error"] == "invalid_client")
            let rightSecret = try await post(client, "/dev/token", [("client_id", "web"), ("client_secret", "s3cret"), ("grant_type", "client_credentials")])
            #expect(rightSecret["status"] == "200")
            // A public client names itself only, and has no credentials of its own.
            let publicCredentials = try await post(client, "/dev/token", [("client_id", "cli"), ("grant_type", "client_credentials")])
            #expect(publicCredentials["error"] == "unauthorized_client")
            let publicPassword = try await post(client, "/dev/token", [("client_id", "cli"), ("grant_type", "password"), ("username", "alice")])
            #expect(publicPassword["status"] == "200")
        }
    }

    @Test func requestMappingsAddClaimsToTheRequestsThatMatchAndNeverReplaceTheSubject() async throws {
        let (idp, _) = try await developer { profile in
            profile.requestMappings = [
                IdPProfile.RequestMapping(match: ["client_id": "reporting", "grant_type": "client_credentials"], claims: .object([("roles", .array([.string("reporter")]))])),
                IdPProfile.RequestMapping(match: ["tenant": "*"], claims: .object([("tenant", .string("t-{request.tenant}")), ("sub", .string("mallory"))])),
                IdPProfile.RequestMapping(match: ["scope": "admin"], claims: .object([("roles", .array([.string("admin")]))])),
            ]
        }
        try await Application(router: idp.router()).test(.router) { client in
            let reporting = Self.payload(try await post(client, "/dev/token", [("client_id", "reporting"), ("grant_type", "client_credentials")])["access_token"])
            #expect(reporting["roles"] == #"["reporter"]"#)
            let other = Self.payload(try await post(client, "/dev/token", [("client_id", "billing"), ("grant_type", "client_credentials")])["access_token"])
            #expect(other["roles"] == nil, "another client does not match")
            // From the authorization request, through the code, into the ID token and userinfo.
            let authorize = "/dev/authorize?response_type=code&client_id=web&login_hint=alice&scope=" + URLEncoding.encode("openid admin")
                + "&tenant=" + URLEncoding.encode("{request.tenant}") + "&redirect_uri=" + URLEncoding.encode("http://localhost/cb")
            let location = try #require(try await client.execute(uri: authorize, method: .get).headers[.location])
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            let tokens = try await post(client, "/dev/token", [("client_id", "web"), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost/cb")])
            let idToken = Self.payload(tokens["id_token"])
            #expect(idToken["tenant"] == "t-{request.tenant}", "a parameter's own text is not expanded again")
            #expect(idToken["roles"] == #"["admin"]"# && idToken["sub"] == "alice", "a mapping cannot replace sub")
            let userinfo = try await client.execute(uri: "/dev/userinfo", method: .get, headers: [.authorization: "Bearer " + (tokens["access_token"] ?? "")])
            #expect(Self.members(Data(buffer: userinfo.body))["tenant"] == "t-{request.tenant}")
        }
    }

    @Test func theLoginPageSignsInAnyoneTypedWithTheirJSONClaimsAndRefusesClaimsThatAreNotAnObject() async throws {
        let (idp, _) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            func pending() async throws -> String {
                let authorize = "/dev/authorize?response_type=code&client_id=web&scope=openid&redirect_uri=" + URLEncoding.encode("http://localhost/cb")
                let page = String(buffer: try await client.execute(uri: authorize, method: .get).body)
                #expect(page.contains("name=\"username\"") && page.contains("name=\"claims\""))
                return String(try #require(page.firstMatch(of: /name="request" value="([^"]+)"/)?.1))
            }
            let request = try await pending()
            let bad = try await client.execute(
                uri: "/_mock/login", method: .post, headers: Self.form,
                body: ByteBuffer(string: URLEncoding.query([("request", request), ("username", "zoe"), ("claims", "[1, 2]")])))
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("JSON object"))
            // The login request survives a typo.
            let good = try await client.execute(
                uri: "/_mock/login", method: .post, headers: Self.form,
                body: ByteBuffer(string: URLEncoding.query([("request", request), ("username", "zoe"), ("claims", #"{"groups": ["ops"], "exp": 1}"#)])))
            let code = try #require(good.headers[.location].flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value })
            let tokens = try await post(client, "/dev/token", [("client_id", "web"), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost/cb")])
            let idToken = Self.payload(tokens["id_token"])
            #expect(idToken["sub"] == "zoe" && idToken["groups"] == #"["ops"]"# && idToken["exp"] != "1")
            let users = Self.members(Data(buffer: try await client.execute(uri: "/_mock/users", method: .get).body))
            #expect(users["users"]?.contains("zoe") == true, "a typed-in person joins the test users until a reset")
        }
    }

    @Test func aMintedAccessTokenCarriesItsClaimsAndItsOwnFaultsOnly() async throws {
        let (idp, _) = try await developer()
        let issuer = idp.issuer(named: "dev")
        let good = Self.payload(try await idp.mint(
            TokenMint(subject: "alice", audience: "orders-api", type: .accessToken, claims: ["tenant": "acme", "iss": "https://evil.example"], scope: "orders:read"),
            issuer: issuer))
        #expect(good["tenant"] == "acme" && good["iss"] == issuer && good["scope"] == "orders:read" && good["client_id"] == "orders-api")
        #expect(good["email"] == "alice@example.com", "the test user's claims are in it")
        let hostile = Self.payload(try await idp.mint(TokenMint(subject: "alice", audience: "orders-api", faults: [.wrongAudience]), issuer: issuer))
        #expect(hostile["aud"] == "someone-else")
        let next = Self.payload(try await idp.mint(TokenMint(subject: "alice", audience: "orders-api"), issuer: issuer))
        #expect(next["aud"] == "orders-api", "a mint's faults are its own")
        try await Application(router: idp.router()).test(.router) { client in
            let refused = try await client.execute(
                uri: "/_mock/dev/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"subject":"alice","audience":"a","faults":["no-such-fault"]}"#))
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains("no-such-fault"))
            let alg = try await client.execute(
                uri: "/_mock/dev/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"subject":"alice","audience":"a","alg":"HS256"}"#))
            #expect(alg.status == .badRequest)
        }
    }

    @Test func mockIdPIsConfiguredByFlagsThenEnvironmentThenDefaults() throws {
        let fromEnvironment = try MockIdPLaunch(
            config: nil, host: nil, port: nil, server: nil, publicURL: nil,
            environment: ["MOCK_IDP_CONFIG": "idp.json", "MOCK_IDP_PORT": "8080", "MOCK_IDP_HOST": "0.0.0.0", "MOCK_IDP_PUBLIC_URL": "http://localhost:8080/"])
        #expect(fromEnvironment.source == .file("idp.json") && fromEnvironment.port == 8080 && fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.ownURL == "http://localhost:8080")
        let flagsWin = try MockIdPLaunch(config: "a.yaml", host: nil, port: 9100, server: nil, publicURL: nil, environment: ["MOCK_IDP_PORT": "8080"])
        #expect(flagsWin.source == .file("a.yaml") && flagsWin.port == 9100 && flagsWin.ownURL == "http://127.0.0.1:9100")
        let inline = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_CONFIG_JSON": "{}"])
        #expect(inline.source == .inline("{}") && inline.port == 9000)
        let none = try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: [:])
        #expect(none.source == .developerDefault)
        #expect(throws: MockError.self) { try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: nil, environment: ["MOCK_IDP_PORT": "http"]) }
        #expect(throws: MockError.self) { try MockIdPLaunch(config: nil, host: nil, port: 70_000, server: nil, publicURL: nil, environment: [:]) }
        #expect(throws: MockError.self) { try MockIdPLaunch(config: nil, host: nil, port: nil, server: nil, publicURL: "localhost:8080", environment: [:]) }
        // A JSON profile is a profile: JSON is YAML.
        let json = #"{"role": "idp", "kind": "oidc", "users": [{"username": "u", "id": "1", "claims": {"email": "u@example.com"}}]}"#
        guard case .idp(let profile) = try PartyProfile.load(text: json, file: URL(fileURLWithPath: "MOCK_IDP_CONFIG_JSON")) else {
            Issue.record("not an IdP profile")
            return
        }
        #expect(profile.users.first?.username == "u" && profile.clients.isEmpty && profile.signing == nil)
        #expect {
            try PartyProfile.load(text: #"{"role": "idp", "kind": "google", "users": []}"#, file: URL(fileURLWithPath: "inline"))
        } throws: { error in
            (error as? any CodedError)?.field == "clients"
        }
    }

    @Test func anExchangeHoldsRefreshTokensToTheirClientNamesTheApplicationAndGrantsAnIDTokenNoMoreThanOpenid() async throws {
        let (idp, _) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            let exchange = "urn:ietf:params:oauth:grant-type:token-exchange"
            let web = try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", "password"), ("username", "alice"), ("scope", "openid offline_access"),
            ])
            let refreshToken = try #require(web["refresh_token"])
            let stolen = try await post(client, "/dev/token", [
                ("client_id", "intruder"), ("grant_type", exchange), ("subject_token", refreshToken),
                ("subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
            ])
            #expect(stolen["error"] == "invalid_request", "another client's refresh token is not its to exchange (RFC 8693 §2.2.2)")
            let own = try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", exchange), ("subject_token", refreshToken),
                ("subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
            ])
            #expect(own["status"] == "200")
            // An ID token grants openid and nothing wider.
            let idToken = try #require(web["id_token"])
            let widened = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", idToken),
                ("subject_token_type", "urn:ietf:params:oauth:token-type:id_token"), ("scope", "admin"),
            ])
            #expect(widened["error"] == "invalid_scope")
            // An application's token exchanged: it names the application, and the client
            // that asked holds it (introspects it as active).
            let service = try #require(try await post(client, "/dev/token", [("client_id", "batch"), ("grant_type", "client_credentials")])["access_token"])
            let exchanged = try await post(client, "/dev/token", [
                ("client_id", "gateway"), ("grant_type", exchange), ("subject_token", service),
                ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("audience", "orders-api"),
            ])
            let claims = Self.payload(exchanged["access_token"])
            #expect(claims["sub"] == "batch" && claims["client_id"] == "gateway" && claims["aud"] == "orders-api")
            let introspected = try await post(client, "/dev/introspect", [("client_id", "gateway"), ("token", exchanged["access_token"] ?? "")])
            #expect(introspected["active"] == "true" && introspected["sub"] == "batch")
        }
    }

    @Test func anAccessTokenIsNoAssertionAndAnAssertionsJTIIsRememberedUntilItExpires() async throws {
        let (idp, clock) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            let bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
            // A JWT access token for the token endpoint has iss, aud and jti: still no assertion.
            let access = try #require(try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", "client_credentials"), ("resource", "/dev/token"),
            ])["access_token"])
            let misused = try await post(client, "/dev/token", [("client_id", "web"), ("grant_type", bearer), ("assertion", access)])
            #expect(misused["error"] == "invalid_grant" && misused["error_description"]?.contains("at+jwt") == true)
            let assertion = try await idp.mint(TokenMint(subject: "alice", audience: "/dev/token", lifetime: 600), issuer: idp.issuer(named: "dev"))
            #expect(try await post(client, "/dev/token", [("client_id", "web"), ("grant_type", bearer), ("assertion", assertion)])["status"] == "200")
            // Past its exp, but within the minute of clock skew the validator allows: still spent.
            clock.advance(by: 630)
            let replayed = try await post(client, "/dev/token", [("client_id", "web"), ("grant_type", bearer), ("assertion", assertion)])
            #expect(replayed["error_description"] == "the assertion's jti was used before")
        }
    }

    @Test func aCodeExpiresAfterTenMinutesAndAnyClientLogoutReturnsOnlyToWhereItLoggedIn() async throws {
        let (idp, clock) = try await developer()
        try await Application(router: idp.router()).test(.router) { client in
            let authorize = "/dev/authorize?response_type=code&client_id=web&login_hint=alice&redirect_uri=" + URLEncoding.encode("http://localhost:3000/cb")
            let location = try #require(try await client.execute(uri: authorize, method: .get).headers[.location])
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            clock.advance(by: 601)
            let late = try await post(client, "/dev/token", [
                ("client_id", "web"), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost:3000/cb"),
            ])
            #expect(late["error"] == "invalid_grant")
            func logout(_ target: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/dev/logout?client_id=web&post_logout_redirect_uri=" + URLEncoding.encode(target), method: .get)
            }
            #expect(try await logout("http://localhost:3000/signed-out").headers[.location] == "http://localhost:3000/signed-out")
            #expect(try await logout("https://evil.example/").status == .badRequest, "no open redirect at logout")
        }
    }

    @Test func aClientNamedTwiceIsRefusedAndToldTheBasicScheme() async throws {
        let (idp, _) = try await developer { profile in
            profile.clients = [IdPProfile.Client(clientID: "web", clientSecret: "s3cret", redirectURIs: ["http://localhost/cb"])]
        }
        try await Application(router: idp.router()).test(.router) { client in
            var headers = Self.form
            headers[.authorization] = "Basic " + Data("web:s3cret".utf8).base64EncodedString()
            let twice = try await client.execute(
                uri: "/dev/token", method: .post, headers: headers,
                body: ByteBuffer(string: URLEncoding.query([("grant_type", "client_credentials"), ("client_id", "other")])))
            #expect(twice.status == .unauthorized && twice.headers[.wwwAuthenticate] == "Basic realm=\"mock-idp\"")
            let once = try await client.execute(
                uri: "/dev/token", method: .post, headers: headers, body: ByteBuffer(string: URLEncoding.query([("grant_type", "client_credentials")])))
            #expect(once.status == .ok)
            var wrong = Self.form
            wrong[.authorization] = "Basic " + Data("web:wrong".utf8).base64EncodedString()
            for endpoint in ["/dev/introspect", "/dev/revoke"] {
                let refused = try await client.execute(uri: endpoint, method: .post, headers: wrong, body: ByteBuffer(string: "token=x"))
                #expect(refused.status == .unauthorized && refused.headers[.wwwAuthenticate] == "Basic realm=\"mock-idp\"", "\(endpoint)")
            }
        }
    }

    @Test func aLoginWithAnUnknownUserOrNoUsernameKeepsTheRequestAndATypedIDIsThatTestUser() async throws {
        let (idp, _) = try await developer { $0.users[0].id = "u-1001" }
        try await Application(router: idp.router()).test(.router) { client in
            let authorize = "/dev/authorize?response_type=code&client_id=web&scope=openid&redirect_uri=" + URLEncoding.encode("http://localhost/cb")
            let page = String(buffer: try await client.execute(uri: authorize, method: .get).body)
            let request = String(try #require(page.firstMatch(of: /name="request" value="([^"]+)"/)?.1))
            func submit(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: "/_mock/login", method: .post, headers: Self.form, body: ByteBuffer(string: URLEncoding.query([("request", request)] + fields)))
            }
            #expect(try await submit([("user", "nobody")]).status == .badRequest)
            #expect(try await submit([("username", ""), ("action", "sign-in")]).status == .badRequest)
            // Typing a test user's id signs in as that user, not a second one of the same sub.
            let done = try await submit([("username", "u-1001"), ("action", "sign-in")])
            #expect(done.status == .found)
            #expect(idp.observations.last?.outcome == "user:alice")
            let users = Self.members(Data(buffer: try await client.execute(uri: "/_mock/users", method: .get).body))["users"]
            #expect(users == #"["alice","bob"]"#)
        }
    }
}
