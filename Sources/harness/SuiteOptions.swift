import ArgumentParser
import Foundation
import ScenarioKit

/// Which scenarios a command works on, and where the repository is.
struct SuiteOptions: ParsableArguments {
    @Argument(help: "Scenario IDs (saml/acs-default), files or directories (default: Vectors/scenarios).")
    var paths: [String] = []

    @Option(help: "Only scenarios whose ID matches this glob (e.g. 'saml/acs-*').")
    var filter: String?

    @Option(name: .customLong("tag"), help: "Only scenarios with this tag (repeat for any of several).")
    var tags: [String] = []

    @Option(help: "Run the i-th of n deterministic shards (e.g. 1/2), for splitting a suite across CI runners.")
    var shard: String?

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

    /// Whether the run names its scenarios (IDs, files or a filter) rather than taking all.
    var namesScenarios: Bool { !paths.isEmpty || filter != nil }

    func selection() throws -> ScenarioSelection {
        do {
            return ScenarioSelection(filter: filter, tags: tags, shard: try shard.map(ScenarioSelection.Shard.init(parsing:)))
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Every scenario on disk.
    func allScenarios(root: URL) throws -> [ScenarioFile] {
        try ScenarioFile.discover([root.appendingPathComponent("Vectors/scenarios")], root: root)
    }

    /// The scenarios this command takes.
    func scenarios(root: URL) throws -> [ScenarioFile] {
        let inputs = paths.isEmpty ? [root.appendingPathComponent("Vectors/scenarios")] : paths.map { path in
            // A scenario ID (saml/acs-default) names Vectors/scenarios/saml/acs-default.yaml.
            let asID = root.appendingPathComponent("Vectors/scenarios/\(path).yaml")
            return FileManager.default.fileExists(atPath: asID.path) ? asID : URL(fileURLWithPath: path)
        }
        return try selection().apply(to: try ScenarioFile.discover(inputs, root: root))
    }
}
