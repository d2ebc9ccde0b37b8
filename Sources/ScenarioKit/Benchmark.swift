public import AsyncHTTPClient
public import Foundation
import HTTPServing
import IdentityCore
import MockSupport
import NIOCore
import NIOHTTP1
import SAML
import StrictYAML

/// Throughput and latency of the flows people run most, against a server in its own
/// process (`harness bench`): each flow is repeated by `concurrency` workers for a number
/// of seconds, end to end as a browser and the mock parties do it (mock SP/RP in this
/// process, on the real clock).
public struct Benchmark: Sendable {
    public enum Flow: String, CaseIterable, Sendable {
        case samlFreshLogin = "SAML SSO, fresh login"
        case samlLiveSession = "SAML SSO, live session"
        case oidcCodeFlow = "OIDC code flow, fresh login"
        case clientCredentials = "client_credentials grant"
        case refresh = "refresh_token grant (rotating)"
    }

    public struct Result: Sendable {
        public let flow: Flow
        public let completed: Int
        public let failed: Int
        public let seconds: Double
        /// Milliseconds.
        public let p50: Double
        public let p99: Double
        public let firstError: String?

        public var perSecond: Double { Double(completed) / seconds }
    }

    struct Server: RunningTarget {
        let baseURL: String
        var adminURL: String { baseURL }
        let adminUsername: String
        let adminPassword: String
        func stop() async {}
    }

    let root: URL
    let server: Server
    let client: HTTPClient
    let username: String
    let password: String

    /// `serverURL`'s admin API takes `adminUser`/`adminPassword`; `username`/`password`
    /// log in (a user the server already has).
    public init(root: URL, serverURL: String, admin: (String, String), user: (String, String), client: HTTPClient) {
        self.root = root
        self.server = Server(baseURL: serverURL, adminUsername: admin.0, adminPassword: admin.1)
        self.client = client
        self.username = user.0
        self.password = user.1
    }

    /// The mock SP and RP, listening and registered.
    public struct Parties: Sendable {
        let sp: String
        let rp: String
        let clientID: String
        let clientSecret: String
        let servers: [InProcessServer]

        public func stop() async {
            for server in servers { await server.stop() }
        }
    }

    /// Starts the mock SAML SP (travelocity) and OIDC RP (pickup) and registers them,
    /// replacing any registration of the same name (the sample configuration seeds both
    /// with other URLs); the RP also gets the client_credentials and password grants.
    public func prepare() async throws -> Parties {
        let admin = AdminClient(client: client, target: server)
        var urls = ["server": server.baseURL]
        var servers = [InProcessServer]()
        var started = [(alias: String, profile: PartyProfile, file: URL)]()
        for (alias, path) in [("sp", "Mocks/sps/travelocity.yaml"), ("rp", "Mocks/sps/pickup.yaml")] {
            let file = root.appendingPathComponent(path)
            let profile = try PartyProfile.load(file, overrides: nil)
            let mock = try await ScenarioRunner.mock(
                profile, directory: file.deletingLastPathComponent(),
                placeholders: Placeholders(values: ["server": server.baseURL], baseDirectory: file.deletingLastPathComponent()),
                clock: SystemWallClock(), random: SystemRandomSource())
            let listening = try await mock.start(host: "127.0.0.1", port: 0, tls: nil, tap: nil)
            servers.append(listening)
            urls[alias] = listening.baseURL
            started.append((alias, profile, file))
        }
        var clientID = "", clientSecret = ""
        for party in started {
            if let name = party.profile.registration?["name"]?.stringValue {
                _ = try await admin.send("DELETE", "/admin/v1/service-providers/" + URLEncoding.encode(name))
            }
            var changes: ConfigValue?
            if case .oidc(let rp) = party.profile {
                clientID = rp.clientID
                clientSecret = rp.clientSecret ?? ""
                changes = ConfigValue(node: try StrictYAML.node(
                    from: "oidc: {grantTypes: [authorization_code, refresh_token, client_credentials, password]}", file: "bench"))
            }
            try await ScenarioRunner.register(
                party.profile, alias: party.alias, profileFile: party.file, changes: changes, urls: urls, server: server, client: client)
        }
        return Parties(sp: urls["sp"]!, rp: urls["rp"]!, clientID: clientID, clientSecret: clientSecret, servers: servers)
    }

    /// Runs `flow` with `concurrency` workers for `seconds` (after one warm-up round each).
    public func measure(_ flow: Flow, parties: Parties, seconds: Double, concurrency: Int) async -> Result {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: ([Double], Int, String?).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies = [Double]()
                    var failed = 0
                    var firstError: String?
                    var worker = Worker(benchmark: self, parties: parties)
                    do { try await worker.prepare(flow) } catch { return ([], 1, "warm-up: \(error)") }
                    while ContinuousClock.now < deadline {
                        let start = ContinuousClock.now
                        do {
                            try await worker.run(flow)
                            latencies.append(ScenarioRunner.seconds(since: start) * 1000)
                        } catch {
                            failed += 1
                            if firstError == nil { firstError = "\(error)" }
                        }
                    }
                    return (latencies, failed, firstError)
                }
            }
            var all = ([Double](), 0, String?.none)
            for await (latencies, failed, error) in group {
                all.0 += latencies
                all.1 += failed
                all.2 = all.2 ?? error
            }
            return all
        }
        let sorted = outcomes.0.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        return Result(
            flow: flow, completed: sorted.count, failed: outcomes.1, seconds: ScenarioRunner.seconds(since: started),
            p50: percentile(0.5), p99: percentile(0.99), firstError: outcomes.2)
    }

    /// One worker's state: its browser (for the live-session flow) and refresh token.
    struct Worker {
        let benchmark: Benchmark
        let parties: Parties
        var browser: UserAgent?
        var refreshToken: String?

        init(benchmark: Benchmark, parties: Parties) {
            self.benchmark = benchmark
            self.parties = parties
        }

        mutating func prepare(_ flow: Flow) async throws {
            switch flow {
            case .samlLiveSession:
                let browser = UserAgent(client: benchmark.client, clock: SystemWallClock())
                try await benchmark.samlLogin(browser, freshLogin: true, parties: parties)
                self.browser = browser
            case .refresh:
                refreshToken = try await benchmark.token(
                    ["grant_type": "password", "username": benchmark.username, "password": benchmark.password, "scope": "openid"],
                    parties: parties)["refresh_token"]
                guard refreshToken != nil else { throw ScenarioError.setup("the password grant gave no refresh token") }
            default:
                try await run(flow)
            }
        }

        mutating func run(_ flow: Flow) async throws {
            switch flow {
            case .samlFreshLogin:
                try await benchmark.samlLogin(UserAgent(client: benchmark.client, clock: SystemWallClock()), freshLogin: true, parties: parties)
            case .samlLiveSession:
                try await benchmark.samlLogin(browser!, freshLogin: false, parties: parties)
            case .oidcCodeFlow:
                try await benchmark.codeFlow(parties: parties)
            case .clientCredentials:
                _ = try await benchmark.token(["grant_type": "client_credentials"], parties: parties)
            case .refresh:
                let answer = try await benchmark.token(["grant_type": "refresh_token", "refresh_token": refreshToken!], parties: parties)
                guard let next = answer["refresh_token"] else { throw ScenarioError.expectation("no rotated refresh token") }
                refreshToken = next
            }
        }
    }

    func samlLogin(_ browser: UserAgent, freshLogin: Bool, parties: Parties) async throws {
        var page = try await browser.navigate("GET", parties.sp + "/login")
        if freshLogin { page = try await logIn(browser, on: page) }
        guard page.page.observed["nameID"] != nil else {
            throw ScenarioError.expectation("SAML SSO ended on \(page.url) (\(page.status)) without a signed-in page")
        }
    }

    func codeFlow(parties: Parties) async throws {
        let browser = UserAgent(client: client, clock: SystemWallClock())
        let page = try await logIn(browser, on: try await browser.navigate("GET", parties.rp + "/login"))
        guard let sub = page.page.observed["sub"], !sub.isEmpty else {
            throw ScenarioError.expectation("the code flow ended on \(page.url) (\(page.status)) without a subject: \(page.page.observed)")
        }
    }

    /// Submits the login form on `navigation`'s page.
    private func logIn(_ browser: UserAgent, on navigation: Navigation) async throws -> Navigation {
        guard let form = navigation.page.forms.first(where: { $0.fields.contains { $0.name == "username" } }) else {
            throw ScenarioError.expectation("expected the login page, got \(navigation.url) (\(navigation.status))")
        }
        let fields = form.fields.filter { $0.type != "submit" }.map { field in
            (field.name, field.name == "username" ? username : field.name == "password" ? password : field.value)
        }
        let action = form.target(from: navigation.url)
        return try await browser.navigate("POST", action, form: fields, initiator: navigation.url)
    }

    /// POSTs to the token endpoint with the RP's Basic credentials; the answer's strings.
    func token(_ form: [String: String], parties: Parties) async throws -> [String: String] {
        var request = HTTPClientRequest(url: server.baseURL + "/oauth2/token")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(parties.clientID):\(parties.clientSecret)".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: URLEncoding.query(form.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, case .object(let object) = try JSONValue(parsing: Data(buffer: body)) else {
            throw ScenarioError.expectation("token endpoint answered \(response.status.code): \(String(buffer: body))")
        }
        return object.compactMapValues(\.stringValue)
    }
}
