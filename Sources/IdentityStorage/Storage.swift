/// Every store the server uses, from one backend.
public struct Storage: Sendable {
    public let serviceProviders: any ServiceProviderStore
    public let users: any UserStore
    public let sessions: any SessionStore
    public let flows: any FlowStore
    /// Records protocol modules keep (OIDC's codes and tokens), by their record type.
    public let records: any RecordBackend
    public let replays: any ReplayStore
    public let consents: any ConsentStore
    public let identityProviders: any IdentityProviderStore
    public let associations: any AssociationStore

    public init(
        serviceProviders: any ServiceProviderStore, users: any UserStore, sessions: any SessionStore, flows: any FlowStore,
        records: any RecordBackend, replays: any ReplayStore, consents: any ConsentStore, identityProviders: any IdentityProviderStore,
        associations: any AssociationStore
    ) {
        self.serviceProviders = serviceProviders
        self.users = users
        self.sessions = sessions
        self.flows = flows
        self.records = records
        self.replays = replays
        self.consents = consents
        self.identityProviders = identityProviders
        self.associations = associations
    }

    /// A fresh in-memory backend: what each scenario and most tests use.
    public static func inMemory() -> Storage {
        Storage(
            serviceProviders: InMemoryServiceProviderStore(), users: InMemoryUserStore(),
            sessions: InMemorySessionStore(), flows: InMemoryFlowStore(), records: InMemoryRecordBackend(),
            replays: InMemoryReplayStore(), consents: InMemoryConsentStore(), identityProviders: InMemoryIdentityProviderStore(),
            associations: InMemoryAssociationStore())
    }

    /// The store of records of type `Record`.
    public func records<Record: StoredRecord>(_ type: Record.Type) -> any RecordStore<Record> {
        records.store(type)
    }
}
