import Foundation
import Testing
import TestSupport

/// The `harness` executable as CI runs it: worker processes, the allowlist, the exit code.
@Suite(.serialized) struct HarnessCommandLineTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("harness")

    /// `swift test` builds every product first; a missing harness is a broken build, not a
    /// reason to skip.
    static func requireExecutable() throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "swift build makes \(executable.path)")
    }

    static func harness(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await TestProcess.run(awaiting: executable, arguments + ["--root", BundledSuiteTests.root.path, "--no-progress"])
        return (result.status, result.stdout + result.stderr)
    }

    static func allowlist(_ yaml: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ih-allow-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func twoWorkerProcessesRunTheSelectionAndReportEveryScenario() async throws {
        try Self.requireExecutable()
        let run = try await Self.harness(["run", "--jobs", "2", "--filter", "saml/idp-initiated-*"])
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n").filter { $0.hasPrefix("✓ saml/idp-initiated-") }
        #expect(lines.count >= 2)
        #expect(run.output.contains("\(lines.count) scenarios: \(lines.count) passed, 0 failed"))
    }

    @Test func showRunsOneScenarioAndPrintsItsExchanges() async throws {
        try Self.requireExecutable()
        let result = try await TestProcess.run(awaiting: Self.executable, ["show", "saml/sp-initiated-login-default-acs", "--root", BundledSuiteTests.root.path])
        #expect(result.status == 0, "\(result.stdout + result.stderr)")
        #expect(result.stdout.contains("browser → server  GET /samlsso?SAMLRequest="), "\(result.stdout)")
    }

    @Test func aStaleAllowlistEntryFailsTheRunNamingIt() async throws {
        try Self.requireExecutable()
        let list = try Self.allowlist("""
            expectedFailures:
              - scenario: saml/acs-index-selects-a-registered-url
                reason: "thought broken (IS-1)"
              - scenario: saml/no-such-scenario
                reason: "removed long ago"
            """)
        defer { try? FileManager.default.removeItem(atPath: list) }
        let run = try await Self.harness(["run", "--jobs", "2", "--filter", "saml/acs-*", "--expected-failures", list])
        #expect(run.status != 0)
        #expect(run.output.contains("✗ stale expected failure: saml/acs-index-selects-a-registered-url: listed as an expected failure (thought broken (IS-1)) but it passes now"))
        #expect(run.output.contains("✗ stale expected failure: saml/no-such-scenario: listed as an expected failure but there is no such scenario"))
    }

    /// `run --app`: verdicts in the JSON report, and an expected-failures entry for a case
    /// the application refuses fails the run by name. (Its own ports: AppControlTests may
    /// run the mock RP's app file at the same time.)
    @Test func anAppRunReportsVerdictsAndFailsOnAStaleExpectedFailure() async throws {
        try Self.requireExecutable()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = BundledSuiteTests.root.path
        try """
            name: cli-rp
            kind: oidc
            app:
              login: http://127.0.0.1:18098/login
              signedIn: {url: http://127.0.0.1:18098/whoami, user: 'data-observe="sub">([^<]*)<'}
              inProcess: \(root)/Mocks/apps/control-rp.yaml
            oidc: {clientID: control-rp, clientSecret: control-rp-secret, redirectURIs: [http://127.0.0.1:18098/callback]}
            idp: {listen: 127.0.0.1:18099}
            expectedFailures: stale.yaml
            """.write(to: directory.appendingPathComponent("app.yaml"), atomically: true, encoding: .utf8)
        try """
            expectedFailures:
              - scenario: oidc/alg-none
                reason: "thought accepted"
            """.write(to: directory.appendingPathComponent("stale.yaml"), atomically: true, encoding: .utf8)
        let report = directory.appendingPathComponent("results.json")
        let run = try await Self.harness(["run", "--app", directory.appendingPathComponent("app.yaml").path, "--report", "json=\(report.path)"])
        #expect(run.status != 0)
        #expect(run.output.contains("✗ oidc/alg-none  refused  [listed as an expected failure, but refused: remove the entry]"), "\(run.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let cases = try #require(json["scenarios"] as? [[String: Any]])
        #expect(cases.first { $0["id"] as? String == "oidc/genuine" }?["verdict"] as? String == "signed-in")
        #expect(cases.first { $0["id"] as? String == "oidc/genuine" }?["signedInAs"] as? String == "oidc-genuine@app.test")
        #expect(cases.first { $0["id"] as? String == "oidc/embedded-jwk" }?["verdict"] as? String == "refused")
    }

    @Test func updateWithoutNamingScenariosIsRefused() async throws {
        try Self.requireExecutable()
        let run = try await Self.harness(["run", "--update"])
        #expect(run.status != 0)
        #expect(run.output.contains("--update re-records only the scenarios you name"))
    }

    /// `coverage --attacks` replays every protocol vector through the reference validators
    /// and lists the live attack scenarios; `--strict` fails on a vector with another verdict.
    @Test func theAttackCatalogueIsListedWithItsVerdicts() async throws {
        try Self.requireExecutable()
        let result = try await TestProcess.run(awaiting: Self.executable, ["coverage", "--attacks", "--strict", "--root", BundledSuiteTests.root.path])
        let run = (status: result.status, output: result.stdout + result.stderr)
        #expect(run.status == 0, "\(run.output)")
        let vectorLines = run.output.split(separator: "\n").filter { $0.hasPrefix("✓ ") || $0.hasPrefix("✗ ") }
        #expect(vectorLines.count >= 50)
        #expect(vectorLines.allSatisfy { $0.hasPrefix("✓ ") })
        #expect(run.output.contains("xsw1-response-clone-signature-carries-original"))
        #expect(run.output.contains("refused jwt.alg_mismatch"))
        #expect(run.output.contains("\(vectorLines.count) of \(vectorLines.count) protocol vectors get their verdict"))
        #expect(run.output.contains("saml/hostile-authn-requests-are-refused"))
    }
}
