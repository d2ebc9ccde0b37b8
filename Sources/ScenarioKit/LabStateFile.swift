import Foundation

/// The one JSON file through which an adapter configures a lab server that has no
/// management API (SimpleSAMLphp, django-oauth-toolkit): named sections, each a map from
/// a key (an entity ID, a client ID, a username) to what the lab needs of it. The lab
/// reads the file on every request; it is replaced whole by rename(2), so a reader sees
/// the old file or the new one, never half of one.
struct LabStateFile {
    let url: URL
    /// The section names (`serviceProviders`, `users`, …).
    let sections: [String]
    /// Says how to make the lab when its directory is missing.
    let startHint: String

    typealias Contents = [String: [String: JSONValue]]

    /// The file in the lab directory a target file's `adapterSettings.directory` names.
    init(target file: TargetFile, adapter: String, sections: [String], serveScript: String) throws {
        guard let directory = file.adapterSettings?["directory"]?.stringValue else {
            throw ScenarioError.invalid("the \(adapter) adapter needs adapterSettings: {directory: <the lab directory serve.sh made>}")
        }
        self.init(
            url: file.path(directory).appendingPathComponent("harness-state.json"), sections: sections,
            startHint: "start it with \(serveScript) start")
    }

    init(url: URL, sections: [String], startHint: String) {
        self.url = url
        self.sections = sections
        self.startHint = startHint
    }

    /// Adds one member; one already there is refused as a server would (`what` names it).
    func add(_ value: JSONValue, key: String, to section: String, what: String) throws {
        var contents = try read()
        guard contents[section]?[key] == nil else { throw ScenarioError.setup("\(what) is already there") }
        contents[section, default: [:]][key] = value
        try write(contents)
    }

    /// The keys of one section now.
    func keys(_ section: String) throws -> Set<String> {
        Set((try read()[section] ?? [:]).keys)
    }

    func read() throws -> Contents {
        var contents = Contents()
        for section in sections { contents[section] = [:] }
        guard let data = try? Data(contentsOf: url) else {
            guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path) else {
                throw ScenarioError.setup("no lab at \(url.deletingLastPathComponent().path): \(startHint)")
            }
            return contents
        }
        let json = try JSONValue(parsing: data)
        for section in sections {
            if case .object(let members)? = json[section] { contents[section] = members }
        }
        return contents
    }

    func write(_ contents: Contents) throws {
        let json = JSONValue.object(contents.mapValues(JSONValue.object))
        try Data(json.pretty().utf8).write(to: url, options: .atomic)
    }

    /// Keeps in each section only the keys `before` had (what a scenario added goes).
    func keepOnly(_ before: [String: Set<String>]) throws {
        var contents = try read()
        for (section, members) in contents {
            contents[section] = members.filter { before[section]?.contains($0.key) == true }
        }
        try write(contents)
    }
}
