import ArgumentParser
import AsyncHTTPClient
import Foundation
import HarnessReports
import ScenarioKit

/// `harness run --app FILE`: the app suite against an application under test, the harness
/// playing a hostile identity provider. Prints a line per case, writes the reports, and
/// compares the verdicts with the application's scorecard (`--update` rewrites it).
enum AppSuiteCommand {
    static func execute(appFile path: String, root: URL, update: Bool, options: RunOptions) async throws {
        _ = try options.report.parsed()
        let file = try AppTargetFile.load(URL(fileURLWithPath: path), displayName: path)
        let suite = try AppSuite.bundled(root: root)
        let allowlistPath = options.expectedFailures ?? file.expectedFailures.map { file.path($0).path }
        let allowlist = try allowlistPath.map { try ExpectedFailures(contentsOf: URL(fileURLWithPath: $0), displayName: $0) }
        let client = try HTTPClient.harness(trusting: file.trust)
        if let notice = file.insecureNotice { print(notice) }
        print("app \(file.name) (\(file.kind.rawValue)): the harness is its identity provider at \(file.idpURL)")
        let runner = AppRunner(root: root, file: file, suite: suite, client: client)
        let results: [AppCaseResult]
        @Sendable func listed(_ result: AppCaseResult) -> AppCaseResult {
            var result = result
            result.expectedFailure = allowlist?.entries.first { $0.scenario == result.id }?.reason
            return result
        }
        do {
            results = try await runner.run { print(listed($0).line) }.map(listed)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()

        let ids = Set(results.map(\.id))
        let unknown = allowlist?.entries.filter { !ids.contains($0.scenario) }.map { "\($0.scenario): listed as an expected failure but this application runs no such case" } ?? []
        var counts = [AppVerdict: Int]()
        for result in results { counts[result.verdict, default: 0] += 1 }
        print("")
        print("\(results.count) cases: " + [AppVerdict.signedIn, .refused, .acceptedSafely, .acceptedWrongly, .notApplicable, .inconclusive]
            .compactMap { verdict in counts[verdict].map { "\($0) \(verdict.rawValue)" } }.joined(separator: ", "))
        for line in unknown { print("✗ stale expected failure: \(line)") }

        // The scorecard: compared, or rewritten with --update.
        var differences = [String]()
        let scorecard = AppScorecard(app: file.name, kind: file.kind.rawValue, results: results)
        if let relative = file.scorecard {
            let url = file.path(relative)
            if update, let unsure = results.first(where: { $0.verdict == .inconclusive }) {
                differences = ["not written: \(unsure.id) is inconclusive (a scorecard records what the application did, so every case must reach it)"]
                print("✗ scorecard \(differences[0])")
            } else if update {
                try scorecard.write(url)
                print("scorecard written: \(relative)")
            } else if let committed = try AppScorecard.read(url) {
                differences = scorecard.differences(from: committed)
                for line in differences { print("✗ scorecard: \(line)") }
                if differences.isEmpty { print("scorecard: matches \(relative)") }
            } else {
                differences = ["no scorecard at \(relative): run with --update to record one"]
                print("✗ \(differences[0])")
            }
        }

        if !(try options.report.parsed()).isEmpty {
            let reports = results.map { report($0, file: file) }
            try options.report.write(reports, catalogue: nil, title: "Identity Harness — application \(file.name)")
        }
        if results.contains(where: \.failsRun) || !unknown.isEmpty || !differences.isEmpty { throw ExitCode.failure }
    }

    /// A case as the reports show it: the browser, the application and the hostile IdP.
    static func report(_ result: AppCaseResult, file: AppTargetFile) -> ScenarioReport {
        let status: ScenarioOutcome.Status = switch result.verdict {
        case .notApplicable: .notApplicable
        case .acceptedWrongly: result.expectedFailure == nil ? .failed : .expectedFailure
        case .inconclusive: .failed
        default: result.expectedFailure == nil ? .passed : .unexpectedPass
        }
        var message = result.verdict.rawValue
        if let who = result.signedInAs, result.verdict != .signedIn { message += ": signed in as '\(who)'" }
        if let detail = result.detail { message += " — \(detail)" }
        if let reason = result.expectedFailure { message += " (expected failure: \(reason))" }
        if !result.armed.isEmpty { message += " [IdP armed: \(result.armed)]" }
        if !result.evidence.isEmpty { message += " [" + result.evidence.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "]" }
        let app = URLComponents(string: file.app.login).map { "\($0.scheme ?? "http")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" } ?? file.app.login
        var report = ScenarioReport(
            id: result.id, name: result.title, tags: ["app:\(file.name)"], status: status, seconds: result.seconds, message: message,
            lanes: ["browser", "app", "idp"], trace: result.trace, traffic: result.traffic, parties: ["app": app, "idp": file.idpURL],
            callers: Dictionary(result.traffic.map { ($0.caller, "app") }, uniquingKeysWith: { a, _ in a }))
        report.verdict = result.verdict.rawValue
        report.signedInAs = result.signedInAs
        return report
    }
}
