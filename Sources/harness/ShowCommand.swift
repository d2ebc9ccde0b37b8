import ArgumentParser
import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import HarnessReports
import ScenarioKit

extension HarnessCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one scenario: its parties and steps, then (running it now) every HTTP exchange between the parties, decoded.")
        @Argument(help: "The scenario ID (saml/acs-default) or file.")
        var name: String

        @Flag(help: "Only the scenario file and its recorded vector's hops; do not run it.")
        var noRun = false

        @Flag(help: "Print each exchange's decoded SAML messages, JWTs, forms and JSON.")
        var decode = false

        @Option(help: "Repository root (default: found upwards from the current directory).")
        var root: String?

        func run() async throws {
            // Parsed (from nothing), not `init()`: a property wrapper read before parsing traps.
            var suite = try SuiteOptions.parse([])
            suite.paths = [name]
            suite.root = root
            let repository = try suite.repositoryRoot()
            guard let file = try suite.scenarios(root: repository).first else { throw ValidationError("no scenario \(name)") }
            let scenario = file.scenario
            print("\(file.id) — \(scenario.name)")
            print("covers: \(scenario.covers.joined(separator: ", "))" + (scenario.tags.isEmpty ? "" : "   tags: \(scenario.tags.joined(separator: ", "))"))
            for alias in scenario.parties.keys.sorted() {
                print("party \(alias): \(scenario.parties[alias]!.profile)\(scenario.parties[alias]!.register ? "" : " (not registered)")")
            }
            print("vector: \(file.vectorFile.path.replacingOccurrences(of: repository.path + "/", with: ""))")
            if noRun {
                try printRecordedHops(file)
                return
            }
            let target = try EmbeddedTarget(configurationDirectory: repository.appendingPathComponent("Mocks/server"))
            let client = try HTTPClient.harness()
            let outcome = await ScenarioSuite(runner: ScenarioRunner(root: repository, target: target, client: client), jobs: 1)
                .run([file], mode: .verify).first!
            try await client.shutdown()
            let report = ScenarioReport(outcome)
            var step = -1
            for event in report.events {
                if event.step != step {
                    step = event.step
                    print("\n" + (step == 0 ? "set-up" : "step \(step): \(report.steps.first { $0.index == step }?.description ?? "")"))
                }
                let arrow = event.frontChannel ? "→" : "⇢"
                print("  \(event.from) \(arrow) \(event.to)  \(event.method) \(event.target) → \(event.status)" + (event.location.map { "  Location: \($0)" } ?? ""))
                if decode {
                    for part in event.parts {
                        print("      ── \(part.title)")
                        print(part.body.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
                    }
                }
            }
            print("\n" + ConsoleReport.line(outcome))
            print("(→ through the browser, ⇢ back channel)")
            if outcome.failsRun { throw ExitCode.failure }
        }

        private func printRecordedHops(_ file: ScenarioFile) throws {
            guard let data = try? Data(contentsOf: file.vectorFile), let vector = try? JSONValue(parsing: data) else {
                print("(no vector recorded yet)")
                return
            }
            for step in vector[Vector.reference]?["steps"]?.arrayValue ?? [] {
                let description = step["do"]?.stringValue ?? step["admin"]?.stringValue ?? step.compact
                print("\n• \(description)")
                for hop in step["hops"]?.arrayValue ?? [] { print("  \(hop.stringValue ?? hop.compact)") }
                if let kind = step["page"]?["kind"]?.stringValue { print("  page: \(kind)") }
            }
        }
    }
}
