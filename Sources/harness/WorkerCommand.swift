import ArgumentParser
import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import HarnessReports
import ScenarioKit

/// What a worker process tells the parent run about one scenario: one JSON line each.
struct WorkerResult: Codable {
    let id: String
    let verdict: ScenarioVerdict
    let seconds: Double
    /// Only when the parent writes reports.
    let report: ScenarioReport?
}

extension HarnessCommand {
    /// `harness worker`: runs the scenarios it is given one at a time against the embedded
    /// server and prints a ``WorkerResult`` line per scenario. The parent `run` starts one
    /// per job (see ``WorkerPool``); not for people.
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios for a parent `harness run` (one JSON line per scenario on stdout).", shouldDisplay: false)

        @Argument var ids: [String]
        @Option var root: String
        @Flag var record = false
        @Flag var reports = false
        @Flag var tls = false

        func run() async throws {
            let root = URL(fileURLWithPath: root)
            let files = try ScenarioFile.discover(ids.map { root.appendingPathComponent("Vectors/scenarios/\($0).yaml") }, root: root)
            let runTLS = tls ? try RunTLS.make() : nil
            let target = try EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server"), tls: runTLS)
            let client = try HTTPClient.harness(trusting: runTLS?.trust ?? .system)
            let suite = ScenarioSuite(runner: ScenarioRunner(root: root, target: target, client: client, tls: runTLS), jobs: 1)
            let encoder = JSONEncoder()
            let reports = self.reports
            _ = await suite.run(files, mode: record ? .record : .verify) { outcome in
                let result = WorkerResult(
                    id: outcome.file.id, verdict: outcome.verdict, seconds: outcome.seconds, report: reports ? ScenarioReport(outcome) : nil)
                guard var line = try? encoder.encode(result) else { return }
                line.append(0x0A)
                FileHandle.standardOutput.write(line)
            }
            try await client.shutdown()
        }
    }
}
