import ArgumentParser
import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import ScenarioKit

@main
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Runs identity federation scenarios and checks every party's observations against recorded vectors.",
        subcommands: [Run.self, Record.self, List.self],
        defaultSubcommand: Run.self)
}

/// Options every command shares.
struct SuiteOptions: ParsableArguments {
    @Argument(help: "Scenario files or directories (default: Vectors/scenarios).")
    var paths: [String] = []

    @Option(help: "Only scenarios whose ID matches this glob (e.g. 'saml/acs-*').")
    var filter: String?

    @Option(help: "Scenarios run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Repository root (default: found upwards from the current directory).")
    var root: String?

    func repositoryRoot() throws -> URL {
        if let root { return URL(fileURLWithPath: root).standardizedFileURL }
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Vectors/scenarios").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        throw ValidationError("cannot find Vectors/scenarios above \(FileManager.default.currentDirectoryPath); pass --root")
    }

    func scenarios(root: URL) throws -> [ScenarioFile] {
        let inputs = paths.isEmpty ? [root.appendingPathComponent("Vectors/scenarios")] : paths.map { path in
            // A scenario ID (saml/acs-default) names Vectors/scenarios/saml/acs-default.yaml.
            let asID = root.appendingPathComponent("Vectors/scenarios/\(path).yaml")
            return FileManager.default.fileExists(atPath: asID.path) ? asID : URL(fileURLWithPath: path)
        }
        let files = try ScenarioFile.discover(inputs, root: root)
        guard let filter else { return files }
        return files.filter { fnmatch(filter, $0.id, 0) == 0 }
    }

    /// Runs the suite in `mode`, prints results, and fails the process on any failure.
    func execute(_ mode: ScenarioSuite.Mode) async throws {
        let root = try repositoryRoot()
        let files = try scenarios(root: root)
        guard !files.isEmpty else { throw ValidationError("no scenarios matched") }
        let orphans = ScenarioFile.orphanVectors(under: root.appendingPathComponent("Vectors/scenarios"))
        for orphan in orphans {
            print("✗ \(orphan.path.replacingOccurrences(of: root.path + "/", with: ""))  has no scenario file: delete it or restore the scenario")
        }
        // The target first: if the server configuration is wrong, nothing needs shutting down.
        let target = try EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let suite = ScenarioSuite(runner: ScenarioRunner(root: root, target: target, client: client), jobs: jobs)
        let outcomes = await suite.run(files, mode: mode) { outcome in print(ConsoleReport.line(outcome)) }
        try await client.shutdown()
        print("")
        print(ConsoleReport.summary(outcomes, mode: mode))
        print(Coverage(outcomes).summary(against: BehaviorCatalogue.locate(root: root)))
        if outcomes.contains(where: { !$0.verdict.isSuccess }) || !orphans.isEmpty { throw ExitCode.failure }
    }
}

extension HarnessCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run scenarios and compare with their vectors (exit 1 on any difference).")
        @OptionGroup var options: SuiteOptions
        func run() async throws { try await options.execute(.verify) }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and write their vectors. Review the diff like code: a vector is the product's memory of correct behaviour.")
        @OptionGroup var options: SuiteOptions
        func run() async throws { try await options.execute(.record) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List scenarios with the BEHAVIOR IDs they cover.")
        @OptionGroup var options: SuiteOptions
        func run() async throws {
            let root = try options.repositoryRoot()
            for file in try options.scenarios(root: root) {
                print("\(file.id)  [\(file.scenario.covers.joined(separator: ", "))]  \(file.scenario.name)")
            }
        }
    }
}
