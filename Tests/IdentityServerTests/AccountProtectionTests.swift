import AsyncHTTPClient
import Foundation
import HTTPServing
import IdentityCore
import IdentityServer
import IdentityStorage
import NIOCore
import NIOHTTP1
import OIDC
import SAML
import Testing
import TestSupport

/// AU-7 and the HTTP layer, over real sockets: many password guesses at once, slow and
/// idle clients, a form posted twice at the same moment.
@Suite struct AccountProtectionTests {
    static let client = OIDCSettings(
        clientID: "app-client", clientSecretHash: ClientSecret.hash("app-secret"), callbackURLs: ["https://app.test/cb"],
        grantTypes: [.authorizationCode, .password])

    /// A test server (TestServer's SP and alice, plus an OAuth client allowed the
    /// password grant) listening on a loopback port.
    func live(_ change: (inout ServerSettings) -> Void) async throws -> (TestServer, InProcessServer) {
        var settings = TestServer.settings
        change(&settings)
        let server = try await TestServer(settings: settings)
        try await server.runtime.storage.serviceProviders.create(ServiceProvider(name: "app", sections: [Self.client]))
        return (server, try await IdentityServerApplication.startInProcess(server.runtime))
    }

    /// `idleTimeout`: how long the client keeps an idle connection for reuse; below a
    /// server's idle timeout, or a request can go out on a connection the server is closing
    /// at that moment and meet a reset.
    static func httpClient(connections: Int, idleTimeout: TimeAmount = .seconds(30)) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(30)))
        configuration.connectionPool = .init(idleTimeout: idleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    @Test func twoHundredParallelWrongPasswordsLockTheAccountAndNoneIsAnsweredWithAServerError() async throws {
        let (server, listening) = try await live { settings in
            settings.http.connectionsPerAddress = 1_000
            settings.addressLimit.maximumFailures = 0  // this test is about the account
        }
        let http = Self.httpClient(connections: 200)
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
            for index in 0..<200 {
                group.addTask {
                    switch index % 3 {
                    case 0: try await browser.login(password: "guess-\(index)").status.code
                    case 1: try await browser.consents(as: "alice", "guess-\(index)").status.code
                    default: try await browser.passwordGrant("alice", "guess-\(index)").status.code
                    }
                }
            }
            return try await group.reduce(into: [UInt]()) { $0.append($1) }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 < 500 }, "\(Set(statuses))")
        #expect(Set(statuses).isSubset(of: [200, 400, 401]), "the login page, invalid_grant, the Basic challenge: \(Set(statuses))")
        let alice = try await server.runtime.storage.users.get(id: "u-alice")
        #expect(alice.lockout.lockedUntil != nil, "locked after the failures")
        // Locked: the right password is refused the same way, on every route.
        #expect(try await browser.passwordGrant("alice", "alice-password").status == .badRequest)
        #expect(try await browser.consents(as: "alice", "alice-password").status == .unauthorized)
        #expect(try await browser.login(password: "alice-password").body.contains(LoginPageText.failure))
    }

    @Test func failedChecksFromOneAddressStopAtTheLimitWhateverTheUsernames() async throws {
        let (server, listening) = try await live { settings in
            settings.http.connectionsPerAddress = 1_000
            settings.addressLimit.maximumFailures = 20
            settings.accountLock.maximumFailures = 0  // this test is about the address
        }
        let http = Self.httpClient(connections: 200)
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
            for index in 0..<200 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try await browser.login(username: "user\(index)", password: "guess").status.code
                        : try await browser.consents(as: "user\(index)", "guess").status.code
                }
            }
            return try await group.reduce(into: [UInt]()) { $0.append($1) }
        }
        // Checks are counted as they begin: exactly 20 are made, however many arrive at once.
        #expect(statuses.filter { $0 == 429 }.count == 180, "\(statuses.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 })")
        #expect(try await browser.login(password: "alice-password").status == .tooManyRequests)
        server.clock.advance(by: 301)
        #expect(try await browser.login(password: "alice-password").body.contains("SAMLResponse"))
    }

    /// Behind a load balancer every request's TCP peer is the balancer (issue 19). Named in
    /// `http.trustedProxies`, its X-Forwarded-For says whom to count: one guesser is stopped
    /// without stopping anyone else, and an address the client wrote into the header
    /// itself changes nothing. From a peer that is not trusted the header is ignored.
    @Test func behindATrustedBalancerEachForwardedClientHasItsOwnLimit() async throws {
        let (server, listening) = try await live { settings in
            settings.addressLimit.maximumFailures = 3
            settings.accountLock.maximumFailures = 0  // this test is about addresses
            settings.http.trustedProxies = ["127.0.0.1"]
        }
        let http = Self.httpClient(connections: 2)
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        var guesser = [UInt]()
        for index in 0..<5 { guesser.append(try await browser.consents(as: "alice", "guess-\(index)", forwardedFor: "198.51.100.7").status.code) }
        #expect(guesser == [401, 401, 401, 429, 429])
        #expect(try await browser.consents(as: "alice", "alice-password", forwardedFor: "198.51.100.8").status == .ok, "another client was throttled too")
        // The client wrote .8 itself; the balancer appended the address it saw, .7.
        #expect(try await browser.consents(as: "alice", "alice-password", forwardedFor: "198.51.100.8, 198.51.100.7").status == .tooManyRequests)
    }

    @Test func forwardedForFromAPeerThatIsNotTrustedIsIgnored() async throws {
        let (server, listening) = try await live { settings in
            settings.addressLimit.maximumFailures = 3
            settings.accountLock.maximumFailures = 0
        }
        let http = Self.httpClient(connections: 2)
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        for index in 0..<3 { _ = try await browser.consents(as: "alice", "guess-\(index)", forwardedFor: "198.51.100.\(index)") }
        #expect(try await browser.consents(as: "alice", "alice-password", forwardedFor: "198.51.100.99").status == .tooManyRequests)
    }

    @Test func theForwardedClientIsTheRightmostUntrustedAddress() {
        let limits = HTTPLimits(trustedProxies: ["10.0.0.2", "10.0.0.3"])
        #expect(limits.clientAddress(peer: "203.0.113.5", forwardedFor: ["198.51.100.7"]) == "203.0.113.5")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1, 198.51.100.7, 10.0.0.3"]) == "198.51.100.7")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1", "2001:db8::7"]) == "2001:db8::7")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.0.0.3"]) == "10.0.0.3")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: ["evil.example, 198.51.100.7"]) == "10.0.0.2", "a malformed chain is not believed")
        #expect(limits.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.7\r\nX: y"]) == "10.0.0.2")
    }

    @Test func slowAndIdleClientsAreCutOffWhileALoginStillCompletes() async throws {
        let (server, listening) = try await live { settings in
            settings.http.headerTimeout = .seconds(1)
            settings.http.bodyTimeout = .seconds(1)
            settings.http.idleTimeout = .seconds(1)
            settings.http.connectionsPerAddress = 16
        }
        // The person's browser drops idle connections well before the server's 1 s does.
        let http = Self.httpClient(connections: 4, idleTimeout: .milliseconds(300))
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let port = try #require(URLComponents(string: listening.baseURL)?.port)
        // From another loopback address: 120 sockets that idle, send half a header, or
        // declare a body and send 2 bytes of it.
        var slow = [RawConnection]()
        for index in 0..<120 {
            let connection = try RawConnection(port: port, from: "127.0.0.2")
            switch index % 3 {
            case 0: break
            case 1: connection.send("GET /health HTTP/1.1\r\nHost: idp.test\r\nX-Slow: ")
            default: connection.send("POST /commonauth HTTP/1.1\r\nHost: idp.test\r\nContent-Length: 10485\r\n\r\nab")
            }
            slow.append(connection)
        }
        // Meanwhile a person signs in.
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        #expect(try await browser.login(password: "alice-password").body.contains("SAMLResponse"))
        // The server closes every one of them: past 16 at once, the rest at their deadline.
        // The blocking reads happen off the concurrency pool, which the server answers on.
        let connections = slow
        let closed = await OffPool.run { connections.filter { $0.waitForClose(seconds: 10) }.count }
        #expect(closed == 120)
        // A declared body over the limit is refused before any of it is sent.
        let oversized = try RawConnection(port: port, from: "127.0.0.3")
        oversized.send("POST /admin/v1/users HTTP/1.1\r\nHost: idp.test\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n")
        #expect(oversized.readResponse(seconds: 10).hasPrefix("HTTP/1.1 413"))
        #expect(try await server.runtime.storage.users.list().count == 1)
    }

    @Test func aLoginFormPostedTwiceAtOnceCompletesOnceAndTheOtherGetsAPublicMessage() async throws {
        let (server, listening) = try await live { _ in }
        let http = Self.httpClient(connections: 8)
        defer { Task { try? await http.shutdown(); await listening.stop() } }
        let browser = LiveBrowser(http: http, base: listening.baseURL, server: server)
        for _ in 0..<10 {
            let form = try await browser.loginForm()
            async let first = browser.submit(form, username: "alice", password: "alice-password")
            async let second = browser.submit(form, username: "alice", password: "alice-password")
            let answers = try await [first, second]
            #expect(answers.filter { $0.body.contains("SAMLResponse") }.count == 1)
            let other = try #require(answers.first { !$0.body.contains("SAMLResponse") })
            #expect(!other.body.contains("storage."), "an internal code shown to a person: \(other.body)")
            #expect(other.status == .badRequest)
            #expect(other.body.contains("auth.flow_expired") || other.body.contains("auth.csrf_invalid"), "\(other.body)")
        }
    }
}

enum LoginPageText {
    static let failure = "Login failed. Check your username and password and try again."
}

/// A browser for the live tests: one flow per login, its cookie carried by hand.
struct LiveBrowser: Sendable {
    let http: HTTPClient
    let base: String
    let server: TestServer

    struct Answer: Sendable {
        let status: HTTPResponseStatus
        let body: String
    }

    struct LoginForm: Sendable {
        let flowID: String
        let csrf: String
        let cookie: String
    }

    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> (HTTPClientResponse, String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(60))
        return (response, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// A new flow's login page: its key, CSRF token and browser cookie.
    func loginForm() async throws -> LoginForm {
        let (start, startBody) = try await send(.GET, try server.redirectRequestURI())
        let cookie = try #require(start.headers["set-cookie"].first?.split(separator: ";").first.map(String.init), "\(start.status) \(startBody)")
        let location = try #require(start.headers["location"].first)
        let (_, page) = try await send(.GET, location, headers: [("Cookie", cookie)])
        return LoginForm(flowID: try #require(Self.field("sessionDataKey", in: page)), csrf: try #require(Self.field("csrf", in: page)), cookie: cookie)
    }

    func submit(_ form: LoginForm, username: String, password: String) async throws -> Answer {
        let body = URLEncoding.query([
            ("sessionDataKey", form.flowID), ("csrf", form.csrf), ("username", username), ("password", password),
        ])
        let (response, text) = try await send(
            .POST, "/commonauth", headers: [("Cookie", form.cookie), ("Content-Type", "application/x-www-form-urlencoded")], body: body)
        return Answer(status: response.status, body: text)
    }

    func login(username: String = "alice", password: String) async throws -> Answer {
        try await submit(try await loginForm(), username: username, password: password)
    }

    /// `forwardedFor`: the X-Forwarded-For a load balancer in front would add.
    func consents(as username: String, _ password: String, forwardedFor: String? = nil) async throws -> Answer {
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        let (response, text) = try await send(
            .GET, "/api/users/v1/me/consents", headers: [("Authorization", "Basic \(basic)")] + (forwardedFor.map { [("X-Forwarded-For", $0)] } ?? []))
        return Answer(status: response.status, body: text)
    }

    func passwordGrant(_ username: String, _ password: String) async throws -> Answer {
        let basic = Data("app-client:app-secret".utf8).base64EncodedString()
        let (response, text) = try await send(
            .POST, "/oauth2/token", headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: URLEncoding.query([("grant_type", "password"), ("username", username), ("password", password)]))
        return Answer(status: response.status, body: text)
    }

    static func field(_ name: String, in page: String) -> String? {
        guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }
}
