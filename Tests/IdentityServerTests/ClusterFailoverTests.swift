import AsyncHTTPClient
import Foundation
import HTTPServing
import IdentityCore
import MockSupport
import NIOCore
import ScenarioKit
import Testing

/// A login survives the instance it started on (issue 19): two `identity-server`
/// processes on one PostgreSQL database behind HAProxy (`Targets/cluster/serve.sh`); a
/// relying party's login starts on instance 1, which is killed with SIGKILL while its login
/// page is open; the password goes to the balancer, which sends it to instance 2, and the
/// code flow finishes there — the flow, its CSRF token and the signing keys all come from
/// the database and the shared configuration, none from the dead process's memory.
///
/// Needs `IH_POSTGRES_URL` (`Targets/postgres/serve.sh start`) and HAProxy; skipped with
/// that hint without them; under `CI=true` `clusterFailoverRunsWhereCIRuns` fails instead.
@Suite(.serialized, .enabled(if: ClusterLab.canRun, "needs IH_POSTGRES_URL (Targets/postgres/serve.sh start) and HAProxy (apt-get install haproxy)"))
struct ClusterFailoverTests {
    static let script = TestServer.root.appendingPathComponent("Targets/cluster/serve.sh")
    /// Ports of its own (balancer, instance 1, instance 2), clear of CI's cluster at 9600.
    static let port = 9650

    @Test func aLoginStartedOnAKilledInstanceFinishesOnTheOther() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-failover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["IH_CLUSTER_DIR": directory.path, "IH_CLUSTER_PORT": String(Self.port), "IH_CLUSTER_DB": "ih_failover"]
        // Its last line is the balancer's URL.
        let balancer = try Self.cluster(["start", "2"], environment).split(separator: "\n").last.map(String.init) ?? ""
        defer { _ = try? Self.cluster(["stop"], environment) }
        let instance1 = try String(contentsOf: directory.appendingPathComponent("instance1.url"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        // The relying party, here, knowing the cluster only as the balancer.
        let profileFile = TestServer.root.appendingPathComponent("Mocks/sps/pickup.yaml")
        guard case .oidc(let profile) = try PartyProfile.load(profileFile) else { Issue.record("not an RP profile"); return }
        let rp = try await MockRelyingParty(
            profile: profile, directory: profileFile.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": balancer], baseDirectory: profileFile.deletingLastPathComponent()),
            clock: SystemWallClock(), random: SystemRandomSource())
        let rpServer = try await rp.start(host: "127.0.0.1")
        defer { Task { await rpServer.stop() } }
        try await Self.admin("POST", balancer + "/admin/v1/service-providers", client: client, json: """
            {"name": "pickup", "oidc": {"clientID": "pickup-client", "clientSecret": "pickup-secret",
             "callbackURLs": ["\(rpServer.baseURL)/callback"], "grantTypes": ["authorization_code"]},
             "claims": {"skipConsent": true}}
            """)
        try await Self.admin("POST", balancer + "/admin/v1/users", client: client, json: """
            {"username": "alice", "password": "alice-password", "claims": {"emailaddress": "alice@example.com"}}
            """)

        // 1. The authorization request, sent to instance 1 itself: its login page.
        let started = try await client.execute(HTTPClientRequest(url: rpServer.baseURL + "/login"), timeout: .seconds(10))
        let authorize = try #require(started.headers.first(name: "location"), "the RP did not redirect to the provider")
        #expect(authorize.hasPrefix(balancer + "/oauth2/authorize?"))
        let browser = UserAgent(client: client, clock: SystemWallClock())
        let login = try await browser.navigate("GET", instance1 + authorize.dropFirst(balancer.count))
        let form = try #require(login.page.forms.first { form in form.fields.contains { $0.name == "password" } }, "no login page: \(login.hops.map(\.line))")
        #expect(login.url.hasPrefix(instance1))

        // 2. Instance 1 dies with the page open; the password reaches the balancer.
        _ = try Self.cluster(["kill", "1"], environment)
        let fields = form.sent.map { field in
            (field.name, field.name == "username" ? "alice" : field.name == "password" ? "alice-password" : field.value)
        }
        let action = balancer + form.target(from: login.url).dropFirst(instance1.count)
        let landed = try await browser.navigate("POST", action, form: fields, initiator: login.url)

        // 3. Instance 2 finished it: a code, exchanged through the balancer, an ID token for alice.
        #expect(landed.url.hasPrefix(rpServer.baseURL + "/callback"), "the login did not come back: \(landed.hops.map(\.line))")
        let callback = try #require(rp.observations.last)
        #expect(callback.action == "callback")
        #expect(callback.status == 200, "the code exchange failed: \(callback.error ?? "") \(callback.errorDescription ?? "")")
        #expect(callback.idToken?.valid == true)
        #expect(callback.idToken?.sub == "alice")
    }

    /// Runs `Targets/cluster/serve.sh` and returns what it printed. Spawned and waited for
    /// by hand: Foundation's `Process` here never noticed the script exit once it had left
    /// daemons running (it stayed a zombie, and `waitUntilExit` waited for ever).
    static func cluster(_ arguments: [String], _ environment: [String: String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ih-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([script.path] + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, script.path, &actions, nil, argv, envp) == 0 else {
            throw ScenarioError.setup("cannot run \(script.path)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out (the macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ScenarioError.setup("serve.sh \(arguments.joined(separator: " ")) failed: \(printed)")
        }
        return printed
    }

    /// An admin API call (Basic admin:admin, the sample configuration's test-only credentials).
    static func admin(_ method: String, _ url: String, client: HTTPClient, json: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .RAW(value: method)
        request.headers.add(name: "Authorization", value: "Basic " + Data("admin:admin".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        try #require((200..<300).contains(Int(response.status.code)), "\(method) \(url) answered \(response.status.code): \(String(buffer: body))")
    }
}

@Test func clusterFailoverRunsWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || ClusterLab.canRun, "CI=true but IH_POSTGRES_URL is unset or HAProxy is missing: .ci/run installs haproxy and starts Targets/postgres/serve.sh")
}

/// What the cluster tests need from the machine.
enum ClusterLab {
    static var canRun: Bool {
        ProcessInfo.processInfo.environment["IH_POSTGRES_URL"].map { !$0.isEmpty } == true
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")
    }
}
