public import Foundation
import StrictYAML

/// A scenario on disk: its ID (`saml/acs-default`), its file and its vector file.
public struct ScenarioFile: Sendable {
    public let id: String
    public let file: URL
    public let scenario: Scenario
    /// What a server must implement for the scenario to apply: its `requires:`, what
    /// its parties imply (a SAML SP needs `saml-idp`, an OIDC RP `oidc-op`, a mock IdP
    /// `federation`), read from the parties' profiles when the file is discovered, and the
    /// control over the server its steps need (`advance` needs `clock-control`).
    public let requirements: Set<Capability>

    /// `impliedByParties`: what its parties' profiles imply (read by ``discover``).
    public init(id: String, file: URL, scenario: Scenario, impliedByParties: Set<Capability> = []) {
        self.id = id
        self.file = file
        self.scenario = scenario
        self.requirements = Set(scenario.requires).union(impliedByParties).union(Capability.implied(bySteps: scenario))
    }

    /// The capability one party profile implies: `role: idp` is a federated IdP, `kind: scim` an
    /// outbound provisioning target, an SP profile's `kind` says which protocol the server must speak to it; nil when the file
    /// cannot be read (the run then reports it).
    static func implied(byProfile path: String, root: URL) -> Capability? {
        guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8),
              let profile = try? StrictYAML.decode(ConfigValue.self, from: text, file: path)
        else { return nil }
        if profile["role"]?.stringValue == "idp" { return .federation }
        if profile["kind"]?.stringValue == "scim" { return .outboundProvisioning }
        return profile["kind"]?.stringValue.map { $0 == "oidc" ? .oidcOP : .samlIdP }
    }

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
        // Scenarios share a handful of profiles: each is read once per discovery.
        var profileCapabilities = [String: Capability?]()
        func implied(by scenario: Scenario) -> Set<Capability> {
            Set(scenario.parties.values.compactMap { party in
                if let known = profileCapabilities[party.profile] { return known }
                let capability = Self.implied(byProfile: party.profile, root: root)
                profileCapabilities[party.profile] = capability
                return capability
            })
        }
        return try Set(files.map(\.standardizedFileURL)).map { file in
            let id = file.path.hasPrefix(scenariosDirectory.path + "/")
                ? String(file.deletingPathExtension().path.dropFirst(scenariosDirectory.path.count + 1))
                : file.deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: file, encoding: .utf8)
            let relative = file.path.hasPrefix(root.path + "/") ? String(file.path.dropFirst(root.path.count + 1)) : file.path
            let scenario = try StrictYAML.decode(Scenario.self, from: text, file: relative)
            return ScenarioFile(id: id, file: file, scenario: scenario, impliedByParties: implied(by: scenario))
        }.sorted { $0.id < $1.id }
    }
}
