import ArgumentParser
import Foundation
import ProtocolVectors
import ScenarioKit

extension HarnessCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List scenarios with their tags and the BEHAVIOR IDs they cover.")
        @OptionGroup var suite: SuiteOptions
        func run() async throws {
            let root = try suite.repositoryRoot()
            for file in try suite.scenarios(root: root) {
                let tags = file.scenario.tags.isEmpty ? "" : "  #" + file.scenario.tags.joined(separator: " #")
                print("\(file.id)  [\(file.scenario.covers.joined(separator: ", "))]  \(file.scenario.name)\(tags)")
            }
        }
    }

    struct CoverageCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Which scenarios cover each BEHAVIOR.md item (from the scenario files; `run --report html=DIR` adds verdicts).")
        @OptionGroup var suite: SuiteOptions

        @Flag(help: "Exit 1 when an item is not covered or a scenario names an unknown ID (with --attacks: when a vector gets another verdict).")
        var strict = false

        @Flag(help: """
            List the attack catalogue instead: every Vectors/protocol message replayed through the reference validators \
            with its verdict, and the scenarios tagged 'attack' with the refusals they expect.
            """)
        var attacks = false

        @Option(help: "A target file: mark each scenario applicable or not to that server from its capabilities (nothing is run).")
        var target: String?

        func run() async throws {
            let root = try suite.repositoryRoot()
            let files = try suite.scenarios(root: root)
            if attacks {
                let wrong = try await AttackCatalogueListing.print(root: root, scenarios: files)
                if strict && wrong > 0 { throw ExitCode.failure }
                return
            }
            let coverage = Coverage(files: files)
            guard let catalogue = BehaviorCatalogue.locate(root: root) else {
                throw ValidationError("no BEHAVIOR.md: set IH_BEHAVIOR or keep docs/BEHAVIOR.md")
            }
            let capabilities = try target.map { path in
                try TargetFile.load(URL(fileURLWithPath: path), displayName: path).effectiveCapabilities
            }
            let requirements = Dictionary(uniqueKeysWithValues: files.map { ($0.id, $0.requirements) })
            var uncovered = 0
            var inapplicable = 0
            for item in catalogue.items {
                let scenarios = coverage.covered[item.id] ?? []
                // Per scenario, what the target lacks for it (empty: applicable).
                let missing = scenarios.map { id in (id, requirements[id, default: []].subtracting(capabilities ?? Capability.all).sorted()) }
                let applicable = missing.contains { $0.1.isEmpty }
                if scenarios.isEmpty { uncovered += 1 } else if !applicable { inapplicable += 1 }
                let mark = scenarios.isEmpty ? "✗" : applicable ? "✓" : "–"
                print("\(mark) \(item.id.padding(toLength: 7, withPad: " ", startingAt: 0)) \(String(item.text.prefix(90)))")
                for (scenario, lacks) in missing {
                    print("      \(scenario)" + (lacks.isEmpty ? "" : "  (not applicable: needs \(lacks.map(\.name).joined(separator: ", ")))"))
                }
            }
            let unknown = coverage.unknownIDs(in: catalogue)
            for id in unknown { print("? \(id) is named in covers: but is not in BEHAVIOR.md: \((coverage.covered[id] ?? []).joined(separator: ", "))") }
            print("\n\(catalogue.items.count - uncovered) of \(catalogue.items.count) items covered by \(files.count) scenarios.")
            if let target {
                print("\(catalogue.items.count - uncovered - inapplicable) of them by a scenario that applies to \(target); \(inapplicable) not applicable there.")
            }
            // What a target file's `capabilities:` may list, and what the harness's control gives.
            print("\nCapabilities" + (capabilities == nil ? ":" : " (✓ \(target ?? "") has it):"))
            for entry in Capability.catalogue {
                let has = capabilities.map { $0.contains(Capability(entry.name)!) ? "✓ " : "  " } ?? ""
                print("  \(has)\(entry.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(entry.meaning)")
            }
            if strict && (uncovered > 0 || !unknown.isEmpty) { throw ExitCode.failure }
        }
    }
}
