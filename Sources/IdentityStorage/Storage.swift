/// Every store the server uses, from one backend.
public struct Storage: Sendable {
    public let serviceProviders: any ServiceProviderStore
    public let users: any UserStore
    public let sessions: any SessionStore
    public let flows: any FlowStore

    public init(
        serviceProviders: any ServiceProviderStore, users: any UserStore, sessions: any SessionStore,
        flows: any FlowStore
    ) {
        self.serviceProviders = serviceProviders
        self.users = users
        self.sessions = sessions
        self.flows = flows
    }

    /// A fresh in-memory backend: what each scenario and most tests use.
    public static func inMemory() -> Storage {
        Storage(
            serviceProviders: InMemoryServiceProviderStore(), users: InMemoryUserStore(),
            sessions: InMemorySessionStore(), flows: InMemoryFlowStore())
    }
}
