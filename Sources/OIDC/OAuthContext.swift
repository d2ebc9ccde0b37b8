public import Foundation
public import IdentityCore
public import IdentityStorage

/// A token endpoint request: its form parameters and Authorization header.
public struct TokenRequest: Sendable {
    public var parameters: [String: String]
    public var authorization: String?
    /// The client's network address (the password grant's per-address limit, AU-7).
    public var clientAddress: String?

    public init(parameters: [String: String], authorization: String?, clientAddress: String? = nil) {
        self.parameters = parameters
        self.authorization = authorization
        self.clientAddress = clientAddress
    }

    public subscript(name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A client that proved who it is (or a public client that named itself).
public struct AuthenticatedClient: Sendable {
    public let serviceProvider: ServiceProvider
    public let settings: OIDCSettings
    /// The client authentication method it used (`authorize` for tokens from the
    /// authorization endpoint, where the browser, not the client, is present).
    public let method: String

    public init(serviceProvider: ServiceProvider, settings: OIDCSettings, method: String) {
        self.serviceProvider = serviceProvider
        self.settings = settings
        self.method = method
    }
}

/// Everything the OAuth endpoints need from the server, handed in so this module knows no
/// HTTP, no flow engine and no user store internals.
public struct OAuthContext: Sendable {
    public let storage: Storage
    public let clock: any WallClock
    public let random: any RandomSource
    /// The issuer (`iss`), which is also the base of every endpoint URL.
    public let issuer: String
    public let keys: ServerSigningKeys
    /// Lifetime of an authorization code (short: RFC 6749 §4.1.2 recommends ≤ 10 minutes).
    public let codeLifetime: TimeInterval
    public let deviceCodeLifetime: TimeInterval
    public let devicePollInterval: Int
    /// Checks a username and password for an application (the password grant) from a
    /// client address; nil when they are wrong or the user may not use the application.
    public let authenticate:
        @Sendable (_ username: String, _ password: String, _ serviceProvider: ServiceProvider, _ clientAddress: String?) async throws -> User?
    /// The subject an SP receives for a user (CL-5); throws when it would not name one
    /// person (AU-9).
    public let subject: @Sendable (User, ServiceProvider) async throws -> String
    /// The claims a user's token carries for an SP and scopes (CL-8).
    public let claims: @Sendable (User, ServiceProvider, [String]) async throws -> [String: ClaimValue]
    /// The `sid` an RP sees for an SSO session (OIDC Front-/Back-Channel Logout): the same
    /// for every RP of the session, and not the session's storage key.
    public let sessionIdentifier: @Sendable (String) -> String?
    /// RFC 7522 / RFC 7523: verifies a bearer assertion from a trusted identity provider,
    /// holds it to one use, and names the person it is about.
    /// The application is the one asking: the issuer must be one its login sequence offers.
    public let assertion: @Sendable (BearerAssertionKind, String, ServiceProvider) async throws -> AssertedSubject

    public init(
        storage: Storage, clock: any WallClock, random: any RandomSource, issuer: String, keys: ServerSigningKeys,
        codeLifetime: TimeInterval = 60, deviceCodeLifetime: TimeInterval = 600, devicePollInterval: Int = 5,
        authenticate: @escaping @Sendable (String, String, ServiceProvider, String?) async throws -> User?,
        subject: @escaping @Sendable (User, ServiceProvider) async throws -> String,
        claims: @escaping @Sendable (User, ServiceProvider, [String]) async throws -> [String: ClaimValue],
        sessionIdentifier: @escaping @Sendable (String) -> String? = { _ in nil },
        assertion: @escaping @Sendable (BearerAssertionKind, String, ServiceProvider) async throws -> AssertedSubject = { kind, _, _ in
            throw OAuthError(.oauthUnsupportedGrantType, value: kind.rawValue, detail: "this server trusts no assertion issuers")
        }
    ) {
        self.assertion = assertion
        self.storage = storage
        self.clock = clock
        self.random = random
        self.issuer = issuer
        self.keys = keys
        self.codeLifetime = codeLifetime
        self.deviceCodeLifetime = deviceCodeLifetime
        self.devicePollInterval = devicePollInterval
        self.authenticate = authenticate
        self.subject = subject
        self.claims = claims
        self.sessionIdentifier = sessionIdentifier
    }

    public var tokenEndpoint: String { issuer + "/oauth2/token" }

    /// The user a code or token was issued for: its account, or the transient federated
    /// user it carries.
    func user(id: String, transient: User?) async throws -> User {
        if let transient { return transient }
        return try await storage.users.get(id: id)
    }

    /// The requested scopes the server knows, in request order without repeats (unknown
    /// scopes are dropped, as at the authorization endpoint).
    public func knownScopes(_ requested: String?, client: OIDCSettings, person: Bool = true) async throws -> [String] {
        let known = Set(try await storage.scopes.list().map(\.name))
        return client.grantable((requested ?? "").split(separator: " ").map(String.init), known: known, person: person)
    }

    /// How tokens and codes are stored: the SHA-256 of the value, never the value.
    public static func storageID(_ value: String) -> String {
        hex(SHA256Digest.of(value))
    }
}
