public import AsyncHTTPClient
public import Foundation
public import OutboundHTTP
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
/// expectedFailures: my-server/expected-failures.yaml  # optional, relative to this file
/// saml: {...}                            # optional: another server's SAML IdP (SAMLIdentityProviderTarget)
/// oidc: {issuer: ...}                     # optional: another server's OpenID Provider (OpenIDProviderTarget)
/// pages: [...]                           # optional: how to recognise its pages (PageDriver)
/// adapterSettings: {...}                 # optional: what the adapter needs (a config directory)
/// caBundle: ca.pem                       # optional: the CAs its https endpoints chain to
/// insecureSkipVerify: true               # optional: check no certificate (throw-away local use)
/// ```
///
/// Relative paths in the file are taken from the file's own directory.
public struct TargetFile: Decodable, Sendable, TrustingFile {
    public var frontChannel: String
    public var backChannel: String
    public var adapter: String
    /// The admin API's credentials (the reference adapter's; others may need none).
    public var admin: Credentials?
    /// The reset/clock listener of `identity-server-test --test-control`: with it every scenario
    /// starts from an empty server on its own clock and seed, as in-process.
    public var testControl: String?
    /// What the server implements; nil: everything the suite knows (the reference server).
    public var capabilities: [Capability]?
    /// The server's known, explained differences from the suite (``ExpectedFailures``).
    public var expectedFailures: String?
    public var saml: SAMLIdentityProviderTarget?
    public var oidc: OpenIDProviderTarget?
    public var pages: [PageDriver.Rule]?
    public var adapterSettings: ConfigValue?
    /// A PEM file of the CAs its https endpoints chain to, when not the system's (a
    /// staging server under a company CA, the development CA).
    public var caBundle: String?
    /// No certificate checks at all — throw-away local use only; the run says so.
    public var insecureSkipVerify: Bool?
    /// The directory the file was read from (relative paths start there).
    public var directory = URL(fileURLWithPath: ".")

    public struct Credentials: Decodable, Sendable {
        public var username: String
        public var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case username, password }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case frontChannel, backChannel, adapter, admin, testControl, capabilities, expectedFailures, saml, oidc, pages, adapterSettings, caBundle,
             insecureSkipVerify
    }

    /// The adapters this harness has, by the name a target file uses. The first speaks the
    /// reference server's admin API; another server needs its own ``TargetAdapter``, added
    /// here, made from the target file (its `adapterSettings`).
    public static let adapters: [String: @Sendable (TargetFile) throws -> any TargetAdapter] = [
        "identity-harness-admin": { file in
            guard file.admin != nil else { throw ScenarioError.invalid("the identity-harness-admin adapter needs admin: {username, password}") }
            return ReferenceAdminAPI()
        },
        "simplesamlphp": { file in try SimpleSAMLphpAdapter(file: file) },
        "django-oauth-toolkit": { file in try DjangoOAuthToolkitAdapter(file: file) },
    ]

    /// What the file declares (everything the suite knows when it declares nothing), with
    /// the harness's control over the server as the target gives it: never its internals;
    /// the clock and server settings only under test control; `admin` steps only through
    /// an adapter that speaks the reference admin API; the reference server's URLs only
    /// when the file describes no pages of its own.
    public var effectiveCapabilities: Set<Capability> {
        var capabilities = (capabilities.map(Set.init) ?? Capability.all).subtracting(Capability.harnessControls)
        if testControl != nil { capabilities.formUnion([.clockControl, .serverSettings]) }
        if (try? makeAdapter())?.acceptsAdminSteps == true { capabilities.insert(.referenceAdminAPI) }
        // Without page rules the server is taken to be the reference one, URLs and all.
        if pages == nil { capabilities.insert(.referenceURLs) }
        return capabilities
    }

    public func makeAdapter() throws -> any TargetAdapter {
        try Self.adapters[adapter]!(self)
    }

    /// A path the file names, from the file's directory.
    public func path(_ relative: String) -> URL {
        URL(fileURLWithPath: relative, relativeTo: directory).standardizedFileURL
    }

    public static func load(_ url: URL, displayName: String) throws -> TargetFile {
        var file = try StrictYAML.decode(TargetFile.self, from: String(contentsOf: url, encoding: .utf8), file: displayName)
        file.directory = url.deletingLastPathComponent()
        guard adapters[file.adapter] != nil else {
            throw ScenarioError.invalid("\(displayName): unknown adapter '\(file.adapter)'; this harness has \(adapters.keys.sorted().joined(separator: ", "))")
        }
        do {
            _ = try file.makeAdapter()
        } catch {
            throw ScenarioError.invalid("\(displayName): \(error)")
        }
        if var saml = file.saml {
            // Without its entity ID the mock SPs would keep trusting the reference server
            // while the steps go to this one.
            guard saml.entityID != nil else { throw ScenarioError.invalid("\(displayName): saml needs the IdP's entityID") }
            saml.certificates = saml.certificates.map { file.path($0).path }
            file.saml = saml
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
/// server settings, move the clock or need server internals are not applicable (see
/// ``capabilities``), and scenarios must run one at a time (`--jobs 1`), since they share
/// one server.
public struct ConformanceTarget: ScenarioTarget {
    public let file: TargetFile
    public var peerTrust: OutboundTrust { file.trust }
    let client: HTTPClient

    public init(file: TargetFile, client: HTTPClient) {
        self.file = file
        self.client = client
    }

    public var capabilities: Set<Capability> { file.effectiveCapabilities }
    public var samlIdentityProvider: SAMLIdentityProviderTarget { file.saml ?? .reference }
    public var openIDProvider: OpenIDProviderTarget { file.oidc ?? .reference }
    public var pageDriver: PageDriver { file.pages.map { PageDriver(rules: $0) } ?? .reference }
    public var isReproducible: Bool { file.testControl != nil }

    public func start(clock: FixedWallClock, seed: UInt64, settings: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
        let remote = Remote(file: file, client: client, adapter: try file.makeAdapter())
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
        let adapter: any TargetAdapter

        var baseURL: String { file.frontChannel }
        var adminURL: String { file.backChannel }
        var adminUsername: String { file.admin?.username ?? "" }
        var adminPassword: String { file.admin?.password ?? "" }

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
