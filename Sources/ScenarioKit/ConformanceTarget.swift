public import AsyncHTTPClient
public import Foundation
public import HTTPServing
public import IdentityCore
import SAML
public import StrictYAML

/// A target file (`harness run --target FILE`): an identity server already running
/// elsewhere, and how the suite configures it.
///
/// ```yaml
/// frontChannel: http://127.0.0.1:9443   # what browsers and the mock parties use
/// backChannel: http://127.0.0.1:9443    # where the admin API is (differs behind Docker)
/// adapter: identity-harness-admin        # how SPs, IdPs and users get configured there
/// admin: {username: admin, password: admin}
/// testControl: http://127.0.0.1:9444    # optional: identity-server-test --test-control
/// capabilities: [saml-idp, idp-initiated] # optional: what the server implements (default: all)
/// ```
public struct TargetFile: Decodable, Sendable {
    public var frontChannel: String
    public var backChannel: String
    public var adapter: String
    public var admin: Credentials
    /// The reset/clock listener of `identity-server-test --test-control`: with it every scenario
    /// starts from an empty server on its own clock and seed, as in-process.
    public var testControl: String?
    /// What the server implements; nil: everything the suite knows (the reference server).
    public var capabilities: [Capability]?

    public struct Credentials: Decodable, Sendable {
        public var username: String
        public var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case username, password }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case frontChannel, backChannel, adapter, admin, testControl, capabilities }

    /// The adapters this harness has, by the name a target file uses. The first speaks the
    /// reference server's admin API; another server needs its own ``TargetAdapter``, added
    /// here.
    public static let adapters: [String: @Sendable () -> any TargetAdapter] = ["identity-harness-admin": { ReferenceAdminAPI() }]

    public func makeAdapter() -> any TargetAdapter {
        Self.adapters[adapter]!()
    }

    public static func load(_ url: URL, displayName: String) throws -> TargetFile {
        let file = try StrictYAML.decode(TargetFile.self, from: String(contentsOf: url, encoding: .utf8), file: displayName)
        guard adapters[file.adapter] != nil else {
            throw ScenarioError.invalid("\(displayName): unknown adapter '\(file.adapter)'; this harness has \(adapters.keys.sorted().joined(separator: ", "))")
        }
        for (name, url) in [("frontChannel", file.frontChannel), ("backChannel", file.backChannel), ("testControl", file.testControl ?? "http://x")] {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme), components.host != nil else {
                throw ScenarioError.invalid("\(displayName): \(name) must be an http(s) URL, not '\(url)'")
            }
        }
        return file
    }
}

/// Runs scenarios against a server that is already running (conformance mode). Each
/// scenario registers its own parties and users through the adapter; with test control
/// the server is reset to the scenario's clock and seed first, so vectors compare byte for
/// byte. Without it, the server's state, clock and IDs are its own: scenarios that change
/// server settings, move the clock or need server internals are skipped with the reason,
/// and scenarios must run one at a time (`--jobs 1`), since they share one server.
public struct ConformanceTarget: ScenarioTarget {
    public let file: TargetFile
    let client: HTTPClient

    public init(file: TargetFile, client: HTTPClient) {
        self.file = file
        self.client = client
    }

    public var capabilities: Set<Capability> { file.capabilities.map(Set.init) ?? Capability.all }
    public var isReproducible: Bool { file.testControl != nil }

    public func cannotRun(_ scenario: Scenario) -> String? {
        if scenario.needs.contains(.internals) {
            return "it needs server internals, which a server elsewhere does not expose"
        }
        if !file.makeAdapter().acceptsAdminSteps, scenario.steps.contains(where: { if case .admin = $0 { true } else { false } }) {
            return "it calls the reference admin API, which the \(file.adapter) adapter does not speak"
        }
        guard file.testControl == nil else { return nil }
        if scenario.server != nil { return "it changes the server's settings, and the target has no test control" }
        if scenario.steps.contains(where: { if case .advance = $0 { true } else { false } }) {
            return "it moves the clock, and the target has no test control"
        }
        return nil
    }

    public func start(clock: FixedWallClock, seed: UInt64, settings: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
        let remote = Remote(file: file, client: client)
        if file.testControl != nil {
            var body: [String: JSONValue] = ["time": .string(SAMLTime.string(clock.now)), "seed": .string(String(seed))]
            if let settings { body["settings"] = try JSONValue(parsing: Data(settings.json.utf8)) }
            try await remote.control("/reset", JSONValue.object(body).compact)
        }
        return remote
    }

    struct Remote: RunningTarget {
        let file: TargetFile
        let client: HTTPClient

        var baseURL: String { file.frontChannel }
        var adminURL: String { file.backChannel }
        var adminUsername: String { file.admin.username }
        var adminPassword: String { file.admin.password }
        var adapter: any TargetAdapter { file.makeAdapter() }

        func stop() async {}

        func advance(by seconds: Double) async throws {
            guard file.testControl != nil else { return }
            try await control("/clock", "{\"advance\": \(seconds)}")
        }

        func control(_ path: String, _ json: String) async throws {
            guard let base = file.testControl else { return }
            let reply = try await AdminClient(client: client, target: self, baseURL: base).send("POST", path, json: json)
            guard reply.status == 204 else {
                throw ScenarioError.setup("test control \(path) answered \(reply.status): \(reply.body?.compact ?? "")")
            }
        }
    }
}
