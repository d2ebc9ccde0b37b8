public import Foundation
import StrictYAML

/// A scenario on disk: its ID (`saml/acs-default`), its file and its vector file.
public struct ScenarioFile: Sendable {
    public let id: String
    public let file: URL
    public let scenario: Scenario

    public var vectorFile: URL {
        file.deletingPathExtension().appendingPathExtension("vector.json")
    }

    /// Vector files under `directory` whose scenario file is gone: a deleted scenario must
    /// take its vector with it, or the suite silently checks less than it appears to.
    public static func orphanVectors(under directory: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var orphans = [URL]()
        while let url = enumerator?.nextObject() as? URL {
            guard url.lastPathComponent.hasSuffix(".vector.json") else { continue }
            let scenario = url.deletingPathExtension().deletingPathExtension().appendingPathExtension("yaml")
            if !FileManager.default.fileExists(atPath: scenario.path) { orphans.append(url) }
        }
        return orphans.sorted { $0.path < $1.path }
    }

    /// Finds scenario files under the given paths (files or directories), sorted by ID.
    /// IDs are paths relative to `Vectors/scenarios` without `.yaml`.
    public static func discover(_ paths: [URL], root: URL) throws -> [ScenarioFile] {
        let scenariosDirectory = root.appendingPathComponent("Vectors/scenarios").standardizedFileURL
        var files = [URL]()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
                throw ScenarioError.invalid("no such file or directory: \(path.path)")
            }
            if isDirectory.boolValue {
                let enumerator = FileManager.default.enumerator(at: path, includingPropertiesForKeys: nil)
                while let url = enumerator?.nextObject() as? URL {
                    if url.pathExtension == "yaml" { files.append(url) }
                }
            } else {
                files.append(path)
            }
        }
        return try Set(files.map(\.standardizedFileURL)).map { file in
            let id = file.path.hasPrefix(scenariosDirectory.path + "/")
                ? String(file.deletingPathExtension().path.dropFirst(scenariosDirectory.path.count + 1))
                : file.deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: file, encoding: .utf8)
            let relative = file.path.hasPrefix(root.path + "/") ? String(file.path.dropFirst(root.path.count + 1)) : file.path
            return ScenarioFile(id: id, file: file, scenario: try StrictYAML.decode(Scenario.self, from: text, file: relative))
        }.sorted { $0.id < $1.id }
    }
}
