import ArgumentParser
import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import HarnessReports
import ScenarioKit

/// Options of the commands that run scenarios.
struct RunOptions: ParsableArguments {
    @Option(help: "Scenarios run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Plain lines, one per scenario, even on a terminal.")
    var noProgress = false

    @Option(help: "YAML allowlist of scenarios expected to fail, each with a reason; a listed scenario that passes or no longer exists fails the run (default: the target file's expectedFailures).")
    var expectedFailures: String?

    @Option(help: "Conformance mode: run against the identity server this YAML target file describes instead of the embedded one.")
    var target: String?

    @Flag(help: "Every party on https under a CA made for the run (the embedded server, the mocks, the browser and the back channel).")
    var tls = false

    @OptionGroup var report: ReportOptions
}

extension SuiteOptions {
    /// Runs the selected scenarios in `mode`, prints and reports the results, and fails the
    /// process on any failure, stale allowlist entry or orphaned vector.
    func execute(_ mode: ScenarioSuite.Mode, options: RunOptions) async throws {
        guard options.jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        let root = try repositoryRoot()
        let files = try scenarios(root: root)
        guard !files.isEmpty else { throw ValidationError("no scenarios matched") }
        _ = try options.report.parsed()  // a malformed --report fails before anything runs
        let orphans = ScenarioFile.orphanVectors(under: root.appendingPathComponent("Vectors/scenarios"))
        for orphan in orphans {
            print("✗ \(orphan.path.replacingOccurrences(of: root.path + "/", with: ""))  has no scenario file: delete it or restore the scenario")
        }
        // The target first: if the server configuration is wrong, nothing needs shutting down.
        let targetFile = try options.target.map { try TargetFile.load(URL(fileURLWithPath: $0), displayName: $0) }
        if mode == .record, let targetFile, targetFile.testControl == nil {
            throw ValidationError(ScenarioSuite.notRecordable)
        }
        // `--expected-failures`, else the one the target file names.
        let allowlistPath = options.expectedFailures ?? targetFile.flatMap { file in file.expectedFailures.map { file.path($0).path } }
        let allowlist = try allowlistPath.map { path in
            try ExpectedFailures(contentsOf: URL(fileURLWithPath: path), displayName: path)
        }
        if options.tls, targetFile != nil {
            throw ValidationError("--tls puts the embedded server and the mocks on https; a --target names its own URLs (and its caBundle)")
        }
        if options.tls, mode == .record {
            throw ValidationError("vectors are recorded by a plain run; --tls checks a run over https against them")
        }
        // The embedded server's configuration is read now: a wrong one fails before anything starts.
        if targetFile == nil { _ = try EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server")) }
        var jobs = options.jobs
        if let targetFile {
            // One server for the whole suite: scenarios take turns.
            if jobs > 1 { print("conformance mode: one scenario at a time (they share the server at \(targetFile.frontChannel))") }
            jobs = 1
        }
        let wantReports = !(try options.report.parsed()).isEmpty
        let display = ProgressDisplay(total: files.count, live: !options.noProgress && ProgressDisplay.isInteractive())
        @Sendable func listed(_ outcome: ScenarioOutcome) -> ScenarioOutcome {
            var outcome = outcome
            // Recording writes what happened; only a verifying run has expected failures.
            if mode == .verify { outcome.expectedFailure = allowlist?.reason(for: outcome) }
            return outcome
        }
        var results: [(outcome: ScenarioOutcome, report: ScenarioReport?)]
        if jobs > 1 && files.count > 1 {
            let pool = WorkerPool(executable: Self.thisExecutable(), root: root, jobs: jobs, record: mode == .record, reports: wantReports, tls: options.tls)
            results = try await pool.run(files) { outcome, _ in display.finished(listed(outcome)) }.map { (listed($0.0), $0.1) }
        } else {
            // Workers make their own; only a run in this process needs a CA and the server here.
            let tls = options.tls ? try RunTLS.make() : nil
            let client = try HTTPClient.harness(trusting: tls?.trust ?? targetFile?.trust ?? .system)
            let target: any ScenarioTarget = try targetFile.map { ConformanceTarget(file: $0, client: client) }
                ?? EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server"), tls: tls)
            let suite = ScenarioSuite(runner: ScenarioRunner(root: root, target: target, client: client, tls: tls), jobs: 1)
            let outcomes = await suite.run(files, mode: mode, expectedFailures: allowlist) { display.finished($0) }
            try await client.shutdown()
            results = outcomes.map { ($0, wantReports ? ScenarioReport($0) : nil) }
        }
        display.end()
        let outcomes = results.map(\.outcome)

        let stale = allowlist?.staleEntries(outcomes: outcomes, existing: Set(try allScenarios(root: root).map(\.id))) ?? []
        print("")
        print(ConsoleReport.summary(outcomes, mode: mode))
        if options.tls { print("Over https: every party served TLS under a CA made for this run, and every client checked it.") }
        if let notice = targetFile?.insecureNotice { print(notice) }
        for entry in stale { print("✗ stale expected failure: \(entry)") }
        let catalogue = BehaviorCatalogue.locate(root: root)
        print(Coverage(outcomes).summary(against: catalogue, partial: namesScenarios || !tags.isEmpty || shard != nil))
        if wantReports {
            let reports = results.map { result in
                var report = result.report ?? ScenarioReport(result.outcome)
                report.status = result.outcome.status
                return report
            }
            try options.report.write(reports, catalogue: catalogue, title: "Identity Harness — \(files.count) scenarios")
        }
        if outcomes.contains(where: \.failsRun) || !stale.isEmpty || !orphans.isEmpty { throw ExitCode.failure }
    }

    /// This harness executable, for its worker processes.
    static func thisExecutable() -> URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: link.path) { return link.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}

extension HarnessCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and compare with their vectors (exit 1 on any difference).")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var options: RunOptions

        @Flag(help: "Re-record the vectors of the scenarios named (IDs or --filter) instead of comparing: the explicit way to accept a change. With --app: rewrite the application's scorecard.")
        var update = false

        @Option(help: "Run the app suite against the application this YAML app file describes (Targets/apps/*.yaml), the harness playing its identity provider.")
        var app: String?

        func validate() throws {
            if app != nil {
                if suite.namesScenarios || options.target != nil || options.tls {
                    throw ValidationError("--app runs the app suite (Vectors/apps/cases.yaml): give no scenarios, --target or --tls with it (its app file says whether it is on https: caBundle)")
                }
                return
            }
            if update && !suite.namesScenarios {
                throw ValidationError("--update re-records only the scenarios you name: give scenario IDs or --filter (`harness record` re-records all)")
            }
        }

        func run() async throws {
            if let app {
                try await AppSuiteCommand.execute(appFile: app, root: try suite.repositoryRoot(), update: update, options: options)
            } else {
                try await suite.execute(update ? .record : .verify, options: options)
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and write their vectors. Review the diff like code: a vector is the product's memory of correct behaviour.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var options: RunOptions
        func run() async throws { try await suite.execute(.record, options: options) }
    }
}
