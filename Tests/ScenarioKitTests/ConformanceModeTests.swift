import AsyncHTTPClient
import Foundation
import EmbeddedTarget
import HTTPServing
import IdentityCore
import ScenarioKit
import StrictYAML
import Testing

/// Conformance mode: the bundled suite against `identity-server-test` started as a process
/// of its own (`--test-control`), through a target file, as `harness run --target` runs it.
@Suite(.serialized) struct ConformanceModeTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("identity-server-test")

    /// The bundled suite through a target file for `server` (with test control on
    /// `controlPort`, if given), as `harness run --target` runs it.
    static func runBundledSuite(
        against server: ServerProcess, controlPort: Int?, client: HTTPClient, mode: ScenarioSuite.Mode = .verify
    ) async throws -> (target: ConformanceTarget, suite: ScenarioSuite, files: [ScenarioFile], outcomes: [ScenarioOutcome]) {
        let target = try Self.conformanceTarget(for: server, controlPort: controlPort, client: client)
        let files = try ScenarioFile.discover([BundledSuiteTests.root.appendingPathComponent("Vectors/scenarios")], root: BundledSuiteTests.root)
        let suite = ScenarioSuite(runner: ScenarioRunner(root: BundledSuiteTests.root, target: target, client: client), jobs: 1)
        return (target, suite, files, await suite.run(files, mode: mode))
    }

    /// `server` through a target file of the reference adapter, with test control on
    /// `controlPort` if given.
    static func conformanceTarget(for server: ServerProcess, controlPort: Int?, client: HTTPClient) throws -> ConformanceTarget {
        ConformanceTarget(file: try Self.targetFile("""
            frontChannel: \(server.baseURL)
            backChannel: \(server.baseURL)
            adapter: identity-harness-admin
            admin: {username: admin, password: admin}
            \(controlPort.map { "testControl: http://127.0.0.1:\($0)" } ?? "")
            """), client: client)
    }

    static func plainTarget(_ server: ServerProcess, client: HTTPClient) async throws -> any RunningTarget {
        try await conformanceTarget(for: server, controlPort: nil, client: client).start(clock: FixedWallClock(Date()), seed: 0, settings: nil, tap: nil)
    }

    @Test func theBundledSuitePassesAgainstASeparatelyStartedServer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "swift build makes \(Self.executable.path)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let controlPort = try LoopbackPort.free()
        let server = try await ServerProcess.start(
            executable: Self.executable,
            arguments: ["--config", BundledSuiteTests.root.appendingPathComponent("Mocks/server").path, "--in-memory",
                        "--test-control", String(controlPort), "--log-level", "error"],
            client: client)
        defer { server.stop() }
        let (_, _, files, outcomes) = try await Self.runBundledSuite(against: server, controlPort: controlPort, client: client)
        try await client.shutdown()
        #expect(outcomes.count == files.count)
        for outcome in outcomes where outcome.status != .passed {
            #expect(outcome.status == .notApplicable && outcome.file.scenario.needs.contains(.internals), "\(ConsoleReport.line(outcome))")
        }
        #expect(outcomes.filter { $0.status == .passed }.count > 100)
    }

    static let plainExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("identity-server")

    /// Without test control the server keeps its own clock, IDs and state: the mocks run
    /// on real time, what each scenario configures is removed after it, and each
    /// scenario's expectations and the portable layer of its vector decide (the reference
    /// transcript is not compared). The shipped executable, started with a configuration
    /// of nothing but server.yaml, matches them.
    @Test func theBundledSuitesPortableLayerHoldsAgainstTheShippedServerWithoutTestControl() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.plainExecutable.path), "swift build makes \(Self.plainExecutable.path)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let server = try await ServerProcess.start(
            executable: Self.plainExecutable,
            arguments: ["--config", BundledSuiteTests.root.appendingPathComponent("Mocks/server-plain").path, "--in-memory", "--log-level", "error"],
            client: client)
        defer { server.stop() }
        let before = try await ReferenceAdminAPI().inventory(of: try await Self.plainTarget(server, client: client), client: client)
        let (conformance, suite, files, outcomes) = try await Self.runBundledSuite(against: server, controlPort: nil, client: client)
        #expect(!conformance.isReproducible)
        for outcome in outcomes {
            switch outcome.verdict {
            // Not applicable: it moves the clock, changes server settings or reads internals.
            case .portableMatched, .notApplicable: break
            default: Issue.record("\(ConsoleReport.line(outcome))")
            }
        }
        #expect(outcomes.filter { if case .portableMatched = $0.verdict { true } else { false } }.count > 120)
        // Nothing a scenario configured is left behind.
        let left = try await ReferenceAdminAPI().inventory(of: try await Self.plainTarget(server, client: client), client: client)
        #expect(left == before)
        #expect(left.serviceProviders.isEmpty && left.identityProviders.isEmpty && left.users.isEmpty)
        // A run against such a server writes no vector.
        let recorded = await suite.run(Array(files.prefix(1)), mode: .record)
        #expect(recorded.first.map { if case .failed(ScenarioSuite.notRecordable) = $0.verdict { true } else { false } } == true)
        try await client.shutdown()
    }

    static func targetFile(_ yaml: String) throws -> TargetFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ih-target-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try TargetFile.load(url, displayName: "target.yaml")
    }

    static func scenario(_ yaml: String) throws -> Scenario {
        try StrictYAML.decode(Scenario.self, from: yaml, file: "s.yaml")
    }

    @Test func scenariosNeedingControlTheTargetDoesNotGiveAreNotApplicable() async throws {
        let plain = ConformanceTarget(file: try Self.targetFile("""
            frontChannel: https://is.example
            backChannel: http://is.internal:9763
            adapter: identity-harness-admin
            admin: {username: a, password: b}
            capabilities: [saml-idp, clock-control]
            """), client: HTTPClient.shared)
        func missing(_ yaml: String) throws -> Set<Capability> {
            let scenario = try Self.scenario(yaml)
            return ScenarioFile(id: "x", file: URL(fileURLWithPath: "/x.yaml"), scenario: scenario).requirements.subtracting(plain.capabilities)
        }
        #expect(try missing("name: n\ncovers: [SP-1]\nneeds: [internals]\nsteps: [{visit: 'https://is.example'}]\n") == [.serverInternals])
        #expect(try missing("name: n\ncovers: [SP-1]\nserver: {enhancedJIT: true}\nsteps: [{visit: 'https://is.example'}]\n") == [.serverSettings])
        // Declaring clock-control does not give it: only test control does.
        #expect(try missing("name: n\ncovers: [SP-1]\nsteps: [{advance: 60}]\n") == [.clockControl])
        #expect(try missing("name: n\ncovers: [SP-1]\nsteps: [{visit: 'https://is.example'}]\n").isEmpty)
        // The reference adapter speaks the admin API its `admin` steps call.
        #expect(try missing("name: n\ncovers: [SP-1]\nsteps: [{admin: {method: GET, path: /admin/v1/users}}]\n").isEmpty)
    }

    @Test(arguments: [
        "frontChannel: x\nbackChannel: http://a\nadapter: identity-harness-admin\nadmin: {username: a, password: b}\n",
        "frontChannel: http://a\nbackChannel: http://a\nadapter: wso2-carbon\nadmin: {username: a, password: b}\n",
        "frontChannel: http://a\nbackChannel: http://a\nadapter: identity-harness-admin\nadmin: {username: a, password: b}\nport: 1\n",
    ])
    func malformedTargetFilesAreRefused(_ yaml: String) {
        #expect(throws: (any Error).self) { try Self.targetFile(yaml) }
    }
}

/// Another server's adapter plugs in behind `RunningTarget.adapter`: the runner configures
/// parties and users and reads state only through it.
@Suite struct TargetAdapterTests {
    final class Recorder: @unchecked Sendable {
        // @unchecked: written under `lock` only.
        let lock = NSLock()
        var calls: [String] = []
        func add(_ call: String) { lock.withLock { calls.append(call) } }
    }

    struct CountingAdapter: TargetAdapter {
        let recorder: Recorder
        let inner = ReferenceAdminAPI()
        var acceptsAdminSteps: Bool { true }

        func register(_ registration: JSONValue, identityProvider: Bool, on target: any RunningTarget, client: HTTPClient) async throws {
            recorder.add((identityProvider ? "idp " : "sp ") + (registration["name"]?.stringValue ?? "?"))
            try await inner.register(registration, identityProvider: identityProvider, on: target, client: client)
        }

        func addUser(_ user: JSONValue, on target: any RunningTarget, client: HTTPClient) async throws {
            recorder.add("user " + (user["username"]?.stringValue ?? "?"))
            try await inner.addUser(user, on: target, client: client)
        }

        func finalState(of target: any RunningTarget, tokens: Bool, client: HTTPClient) async throws -> [String: JSONValue] {
            recorder.add("state")
            return try await inner.finalState(of: target, tokens: tokens, client: client)
        }
    }

    struct Adapted: ScenarioTarget {
        let inner: EmbeddedTarget
        let recorder: Recorder
        func start(clock: FixedWallClock, seed: UInt64, settings: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
            Running(inner: try await inner.start(clock: clock, seed: seed, settings: settings, tap: tap), recorder: recorder)
        }
    }

    struct Running: RunningTarget {
        let inner: any RunningTarget
        let recorder: Recorder
        var baseURL: String { inner.baseURL }
        var adminURL: String { inner.adminURL }
        var adminUsername: String { inner.adminUsername }
        var adminPassword: String { inner.adminPassword }
        var adapter: any TargetAdapter { CountingAdapter(recorder: recorder) }
        func stop() async { await inner.stop() }
    }

    @Test func theRunnerConfiguresAndReadsTheServerOnlyThroughItsAdapter() async throws {
        let recorder = Recorder()
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let target = Adapted(inner: try EmbeddedTarget(configurationDirectory: BundledSuiteTests.root.appendingPathComponent("Mocks/server")), recorder: recorder)
        let files = try ScenarioFile.discover(
            [BundledSuiteTests.root.appendingPathComponent("Vectors/scenarios/federation/google-silent-jit-saml-sp.yaml")], root: BundledSuiteTests.root)
        let outcome = await ScenarioSuite(runner: ScenarioRunner(root: BundledSuiteTests.root, target: target, client: client), jobs: 1)
            .run(files, mode: .verify).first
        try await client.shutdown()
        #expect(outcome?.verdict.isSuccess == true, "\(outcome.map(ConsoleReport.line) ?? "")")
        // IdPs first (SP sequences name them), then SPs, then users, and the state at the end.
        #expect(recorder.calls.first?.hasPrefix("idp ") == true)
        #expect(recorder.calls.contains { $0.hasPrefix("sp ") })
        #expect(recorder.calls.contains("user alice"))
        #expect(recorder.calls.last == "state")
    }
}
