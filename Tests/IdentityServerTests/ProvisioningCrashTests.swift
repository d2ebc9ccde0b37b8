import AsyncHTTPClient
import Foundation
import HTTPServing
import IdentityCore
import MockSupport
import SAML
import ScenarioKit
import StrictYAML
import Testing

/// JIT provisioning is one database transaction: the `identity-server-test` executable, on a
/// SQLite file, is killed with SIGKILL while the transaction that inserts the new account
/// is open (a test-only fault makes it stall there). After a restart on the same file no
/// account exists, and the next login provisions it.
@Suite(.serialized)
struct ProvisioningCrashTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("identity-server-test")

    @Test func killingTheServerMidProvisioningLeavesNoUserAndTheNextLoginProvisions() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.executable.path),
            "build the identity-server-test executable first (swift build): \(Self.executable.path)")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ih-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // Picked in advance: the IdP and the server each need the other's address in their
        // configuration. If someone else takes it first, the server fails to bind and
        // ServerProcess.start says so (its port file is never written).
        let port = try LoopbackPort.restartable()
        let serverURL = "http://127.0.0.1:\(port)"

        // The partner OpenID Provider, in this process.
        let profileFile = TestServer.root.appendingPathComponent("Mocks/idps/partner-oidc.yaml")
        guard case .idp(let profile) = try PartyProfile.load(profileFile) else { Issue.record("not an IdP profile"); return }
        let idp = try await MockIdentityProvider(
            profile: profile, directory: profileFile.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": serverURL], baseDirectory: profileFile.deletingLastPathComponent()),
            clock: SystemWallClock(), random: SystemRandomSource())
        let idpServer = try await idp.start(host: "127.0.0.1")
        defer { Task { await idpServer.stop() } }
        let callback = idpServer.baseURL + "/observations"

        // A configuration directory: the sample server.yaml, the IdP, one OIDC app using it.
        let config = work.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config.appendingPathComponent("identity-providers"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: config.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        let sample = try String(contentsOf: TestServer.root.appendingPathComponent("Mocks/server/server.yaml"), encoding: .utf8)
        try sample.replacingOccurrences(of: "../keys/", with: TestServer.keys.path + "/")
            .write(to: config.appendingPathComponent("server.yaml"), atomically: true, encoding: .utf8)
        let placeholders = Placeholders(values: ["server": serverURL, "idp": idpServer.baseURL], baseDirectory: profileFile.deletingLastPathComponent())
        let registration = try #require(profile.registration).mapStrings(placeholders.substitute)
        try registration.json.write(to: config.appendingPathComponent("identity-providers/partner.yaml"), atomically: true, encoding: .utf8)
        try """
            name: app
            oidc:
              clientID: app
              clientSecret: app-secret-0123456789
              callbackURLs: ["\(callback)"]
            sequence:
              steps: [{ options: [partner-oidc] }]
            """.write(to: config.appendingPathComponent("service-providers/app.yaml"), atomically: true, encoding: .utf8)

        let database = work.appendingPathComponent("server.sqlite").path
        let marker = work.appendingPathComponent("stalled").path
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        let authorize = serverURL + "/oauth2/authorize?response_type=code&client_id=app&scope=openid&redirect_uri=" + URLEncoding.encode(callback)

        // 1. The server stalls inside the insert; it is killed there.
        let arguments = ["--config", config.path, "--db", database, "--log-level", "error"]
        let first = try await ServerProcess.start(
            executable: Self.executable, arguments: arguments + ["--stall-user-insert", marker], port: port, client: client)
        let browser = UserAgent(client: client, clock: SystemWallClock())
        let login = try await browser.navigate("GET", authorize)
        let pending = try #require(
            login.page.forms.first?.fields.first { $0.name == "request" }?.value, "no mock IdP login page: \(login.hops.map(\.line))")
        let stalled = Task { try await browser.navigate("POST", idpServer.baseURL + "/_mock/login", form: [("request", pending), ("user", "paula")]) }
        try await Self.waitFor(file: marker)
        first.kill()
        _ = await stalled.result

        // 2. Restarted on the same file: nobody was provisioned.
        let second = try await ServerProcess.start(executable: Self.executable, arguments: arguments, port: port, client: client)
        defer { second.stop() }
        #expect(try await Self.provisioned(serverURL, client: client).isEmpty, "a half-provisioned account survived the crash")

        // 3. The next login provisions the account whole.
        let again = UserAgent(client: client, clock: SystemWallClock())
        let page = try await again.navigate("GET", authorize)
        let request = try #require(page.page.forms.first?.fields.first { $0.name == "request" }?.value)
        let landed = try await again.navigate("POST", idpServer.baseURL + "/_mock/login", form: [("request", request), ("user", "paula")])
        #expect(landed.url.hasPrefix(callback + "?code="), "the second login did not complete: \(landed.hops.map(\.line))")
        let accounts = try await Self.provisioned(serverURL, client: client)
        #expect(accounts.count == 1)
        #expect(accounts.first?["claims"]?["http://wso2.org/claims/emailaddress"] == .string("paula@partner.example"))
        // And a SIGTERM is a clean shutdown (exit 0), the provisioning worker included.
        #expect(second.stop() == 0)
    }

    /// The accounts the partner IdP provisioned, through the admin API (Basic admin:admin,
    /// the sample configuration's test-only credentials).
    static func provisioned(_ server: String, client: HTTPClient) async throws -> [JSONValue] {
        var request = HTTPClientRequest(url: server + "/admin/v1/users?identityProvider=partner-oidc")
        request.headers.add(name: "Authorization", value: "Basic " + Data("admin:admin".utf8).base64EncodedString())
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard case .array(let users) = try JSONValue(parsing: Data(buffer: body)) else { return [] }
        return users
    }

    static func waitFor(file: String) async throws {
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: file) {
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(FileManager.default.fileExists(atPath: file), "the server never reached the stalled insert")
    }
}
