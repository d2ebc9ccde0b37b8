public import HTTPServing
public import IdentityCore
public import StrictYAML
public import OutboundHTTP

/// The identity server a scenario runs against. The embedded target starts the reference
/// server in-process; other targets (a server already running elsewhere) can be added
/// without touching the runner, which speaks only HTTP to what this returns.
public protocol ScenarioTarget: Sendable {
    /// A fresh server for one scenario, on the scenario's clock and seed, with the
    /// scenario's changes to its settings (a target that cannot apply them refuses). With
    /// a tap, what the server receives on the back channel is recorded there (a target
    /// that runs elsewhere cannot, and ignores it).
    func start(clock: FixedWallClock, seed: UInt64, settings: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget

    /// What the server implements, and what the harness can do to it (see
    /// ``Capability/harnessControls``); a scenario that requires anything else is not
    /// applicable to it.
    var capabilities: Set<Capability> { get }

    /// Whether every scenario starts from a fresh server on the scenario's clock and seed
    /// (the embedded server, or one under test control). Only then is a run's vector
    /// reproducible and compared; against a server that keeps its own clock and state the
    /// mocks' clock starts at the current second, what a scenario registers is removed
    /// after it, and the scenario's `expect` steps and the portable layer of its vector
    /// decide.
    var isReproducible: Bool { get }

    /// The target's SAML IdP: what the mock SPs trust and where IdP-initiated SSO starts.
    var samlIdentityProvider: SAMLIdentityProviderTarget { get }

    /// The target's OpenID Provider: the issuer the mock relying parties discover and trust.
    var openIDProvider: OpenIDProviderTarget { get }

    /// How its pages are recognised.
    var pageDriver: PageDriver { get }

    /// What the mocks' own calls to it trust (a mock RP's discovery and token requests):
    /// the target file's `caBundle`, or the system's CAs.
    var peerTrust: OutboundTrust { get }
}

extension ScenarioTarget {
    public var peerTrust: OutboundTrust { .system }
    public var capabilities: Set<Capability> { Capability.all }
    public var isReproducible: Bool { true }
    public var samlIdentityProvider: SAMLIdentityProviderTarget { .reference }
    public var openIDProvider: OpenIDProviderTarget { .reference }
    public var pageDriver: PageDriver { .reference }
}

/// A started server: where browsers go, where the admin API is, and how to stop it.
public protocol RunningTarget: Sendable {
    /// The front-channel base URL (what the browser and the mocks use).
    var baseURL: String { get }
    /// The admin API base URL (back channel).
    var adminURL: String { get }
    var adminUsername: String { get }
    var adminPassword: String { get }
    func stop() async
    /// How scenarios configure this server and read its state.
    var adapter: any TargetAdapter { get }
    /// Moves the server's clock forward with the scenario's (a server in this process
    /// shares the scenario's clock object, so there is nothing to do).
    func advance(by seconds: Double) async throws
}

extension RunningTarget {
    public func advance(by seconds: Double) async throws {}
    public var adapter: any TargetAdapter { ReferenceAdminAPI() }
}
