import Foundation
import HTTPServing
public import IdentityCore
public import MockSupport
public import OIDC
import StrictYAML

/// A mock OpenID Provider running inside the test process — what an application that
/// signs people in with OpenID Connect, or an API that accepts JWT access tokens, tests
/// against:
///
/// ```swift
/// try await MockOpenIDProvider.withRunning { idp in
///     let token = try await idp.mintAccessToken(subject: "alice", audience: "orders-api", scope: "orders:read")
///     // configure the app with idp.issuer; call it with "Authorization: Bearer \(token)"
/// }
/// ```
///
/// It is the generic kind of `mock-idp`: every issuer path, any client unless
/// `clients` are given, every grant, RFC 9068 JWT access tokens by default, a fresh key
/// per start (the JWKS at `jwksURL`), faults at ``arm(faults:)``.
public final class MockOpenIDProvider: InProcessMock {
    /// The mock itself, for everything this wrapper does not spell out.
    public let provider: MockIdentityProvider
    private let server: InProcessServer

    /// What the provider is like; each default is the built-in developer provider's
    /// (`mock-idp` with no profile), but for the keys: fresh ones per start.
    public struct Options: Sendable {
        /// The issuer path segment ``issuer`` names (any other is served too).
        public var issuerName = "default"
        /// Empty: any client ID, any secret or none, any http(s) redirect URI.
        public var clients: [IdPProfile.Client] = []
        /// alice and bob, as the built-in provider has them.
        public var users: [IdPProfile.TestUser] = (try? IdPProfile.developerDefault.users) ?? []
        public var accessTokens: IdPProfile.AccessTokenFormat = .jwt
        public var rotateRefreshTokens = true
        public var requestMappings: [IdPProfile.RequestMapping] = []
        public var faults: [IdPFault] = []
        /// A test user every authorization request is answered for, with no login page —
        /// what a test driving the code flow with an HTTP client wants.
        public var autoLogin: String?
        /// Seconds an ID token (and a minted token, by default) is valid.
        public var validitySeconds = 300

        public init() {}
    }

    private init(provider: MockIdentityProvider, server: InProcessServer) {
        self.provider = provider
        self.server = server
    }

    /// Starts the provider on `127.0.0.1` and a free port, and returns once it listens.
    /// `clock`: the time its tokens are issued at (a test may fix it).
    public static func start(_ options: Options = Options(), clock: any WallClock = SystemWallClock()) async throws -> MockOpenIDProvider {
        var profile = try IdPProfile.developerDefault
        profile.issuerName = options.issuerName
        profile.clients = options.clients
        profile.users = options.users
        profile.accessTokens = options.accessTokens
        profile.rotateRefreshTokens = options.rotateRefreshTokens
        profile.requestMappings = options.requestMappings
        profile.faults = options.faults
        profile.autoLogin = options.autoLogin
        profile.validitySeconds = options.validitySeconds
        let (provider, server) = try await startInProcess(profile, clock: clock)
        return MockOpenIDProvider(provider: provider, server: server)
    }

    /// Runs `body` with a provider started for it, and stops the provider however `body`
    /// ends — the way to use one in a test.
    public static func withRunning<Result>(
        _ options: Options = Options(), clock: any WallClock = SystemWallClock(), _ body: (MockOpenIDProvider) async throws -> Result
    ) async throws -> Result {
        try await stopping(try await start(options, clock: clock), body)
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { server.baseURL }
    /// The issuer of ``Options/issuerName``.
    public var issuer: String { provider.issuer(named: nil) }
    public func issuer(named name: String) -> String { provider.issuer(named: name) }
    public var discoveryURL: String { issuer + "/.well-known/openid-configuration" }
    public var jwksURL: String { issuer + "/jwks" }
    public var tokenEndpoint: String { issuer + "/token" }

    /// An RFC 9068 access token for `subject` (a test user's username or id, or anyone),
    /// as an API under test receives it. `faults` make it hostile: `.expired`,
    /// `.wrongAudience`, `.wrongIssuer`, `.unknownKey`, `.unsigned`…
    public func mintAccessToken(
        subject: String, audience: String, scope: String = "", claims: [String: ClaimValue] = [:], lifetime: Int? = nil, faults: [IdPFault] = [],
        issuer: String? = nil
    ) async throws -> String {
        try await provider.mint(
            TokenMint(subject: subject, audience: audience, type: .accessToken, lifetime: lifetime ?? 3_599, claims: claims, faults: faults, scope: scope),
            issuer: issuer ?? self.issuer)
    }

    /// An ID token for `subject`, addressed to `clientID`.
    public func mintIDToken(
        subject: String, clientID: String, claims: [String: ClaimValue] = [:], lifetime: Int? = nil, faults: [IdPFault] = []
    ) async throws -> String {
        try await provider.mint(
            TokenMint(subject: subject, audience: clientID, type: .idToken, lifetime: lifetime, claims: claims, faults: faults), issuer: issuer)
    }

    /// Any mint (a JWT bearer assertion, another issuer…).
    public func mint(_ mint: TokenMint, issuer: String? = nil) async throws -> String {
        try await provider.mint(mint, issuer: issuer ?? self.issuer)
    }

    /// Turns faults on for every token from now on (replacing the set; `[]` turns them off).
    public func arm(faults: [IdPFault]) { provider.arm(faults: faults) }

    /// Adds a test user (replacing one of the same username).
    public func add(user: IdPProfile.TestUser) { provider.add(user: user) }

    /// Signs with a fresh key from now on; the old one stays published for `grace` seconds.
    @discardableResult
    public func rotateKeys(grace: Int = 3_600) async throws -> String { try await provider.rotateKeys(grace: grace) }

    /// Every request the provider received, oldest first.
    public var observations: [IdPObservation] { provider.observations }

    /// Stops listening (open requests get a short grace period).
    public func stop() async { await server.stop() }
}
