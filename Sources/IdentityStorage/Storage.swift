/// Every store the server uses, from one backend.
public struct Storage: Sendable {
    public let serviceProviders: any ServiceProviderStore
    public let users: any UserStore
    public let sessions: any SessionStore
    public let flows: any FlowStore
    public let authorizationCodes: any AuthorizationCodeStore
    public let tokens: any TokenStore
    public let deviceAuthorizations: any DeviceAuthorizationStore
    public let scopes: any ScopeStore
    public let replays: any ReplayStore
    public let consents: any ConsentStore
    public let identityProviders: any IdentityProviderStore
    public let associations: any AssociationStore

    public init(
        serviceProviders: any ServiceProviderStore, users: any UserStore, sessions: any SessionStore, flows: any FlowStore,
        authorizationCodes: any AuthorizationCodeStore, tokens: any TokenStore, deviceAuthorizations: any DeviceAuthorizationStore,
        scopes: any ScopeStore, replays: any ReplayStore, consents: any ConsentStore, identityProviders: any IdentityProviderStore,
        associations: any AssociationStore
    ) {
        self.serviceProviders = serviceProviders
        self.users = users
        self.sessions = sessions
        self.flows = flows
        self.authorizationCodes = authorizationCodes
        self.tokens = tokens
        self.deviceAuthorizations = deviceAuthorizations
        self.scopes = scopes
        self.replays = replays
        self.consents = consents
        self.identityProviders = identityProviders
        self.associations = associations
    }

    /// A fresh in-memory backend: what each scenario and most tests use.
    public static func inMemory() -> Storage {
        Storage(
            serviceProviders: InMemoryServiceProviderStore(), users: InMemoryUserStore(),
            sessions: InMemorySessionStore(), flows: InMemoryFlowStore(), authorizationCodes: InMemoryAuthorizationCodeStore(),
            tokens: InMemoryTokenStore(), deviceAuthorizations: InMemoryDeviceAuthorizationStore(), scopes: InMemoryScopeStore(),
            replays: InMemoryReplayStore(), consents: InMemoryConsentStore(), identityProviders: InMemoryIdentityProviderStore(),
            associations: InMemoryAssociationStore())
    }
}
