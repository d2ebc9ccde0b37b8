public import AuthFramework
import Foundation
public import IdentityCore
public import IdentityStorage
public import Logging
import SAML

/// Everything the request handlers share: settings, keys, stores, the injected clock and
/// random source, the flow engine. Built once per server instance.
public struct ServerRuntime: Sendable {
    public let settings: ServerSettings
    public let credentials: ServerCredentials
    public let storage: Storage
    public let clock: any WallClock
    public let random: any RandomSource
    public let baseURL: BaseURL
    public let engine: AuthenticationEngine
    public let hasher: PasswordHasher
    public let validator: ServiceProviderValidator
    public let logger: Logger
    let pages = PageRenderer()
    let responseBuilder: SAMLResponseBuilder

    public init(
        settings: ServerSettings, credentials: ServerCredentials, storage: Storage, clock: any WallClock, random: any RandomSource,
        logger: Logger = Logger(label: "identity-server")
    ) {
        self.settings = settings
        self.credentials = credentials
        self.storage = storage
        self.clock = clock
        self.random = random
        self.baseURL = BaseURL(settings.baseURL)
        self.hasher = PasswordHasher(iterations: settings.passwordIterations, random: random)
        self.validator = ServiceProviderValidator(signingFamilies: credentials.families)
        self.logger = logger
        self.responseBuilder = SAMLResponseBuilder(clock: clock, random: random)
        self.engine = AuthenticationEngine(
            storage: storage, clock: clock, random: random, hasher: hasher,
            settings: AuthenticationSettings(
                flowLifetime: TimeInterval(settings.flowLifetimeSeconds), sessionLifetime: TimeInterval(settings.sessionLifetimeSeconds),
                maximumAttempts: settings.maximumLoginAttempts, userStores: settings.userStores.map { $0.uppercased() },
                tenants: Set(settings.tenants.map { $0.lowercased() })))
    }

    /// The SAML SSO service URL (`/samlsso`).
    public var ssoURL: String { baseURL.appending("/samlsso") }

    /// Stores the service providers and users of a configuration directory. A database
    /// file outlives restarts, so records that already exist are replaced (service
    /// providers: the file is the source of truth) or kept (users: their passwords and
    /// claims may have changed since).
    public func seedIfMissing(_ configuration: LoadedConfiguration) async throws {
        for sp in configuration.serviceProviders {
            if try await storage.serviceProviders.list().contains(where: { $0.name == sp.name }) {
                try await storage.serviceProviders.update(name: sp.name) { _ in sp }
            } else {
                try await storage.serviceProviders.create(sp)
            }
        }
        for document in configuration.users {
            let user = document.user(id: random.uuid(), passwordHash: document.password.map(hasher.hash))
            if try await storage.users.find(user.identifier) == nil {
                try await storage.users.create(user)
            }
        }
    }
}
