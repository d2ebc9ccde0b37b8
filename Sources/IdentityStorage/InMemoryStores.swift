public import IdentityCore

/// In-memory service providers (scenarios, tests).
public final class InMemoryServiceProviderStore: ServiceProviderStore {
    private let table = InMemoryTable<ServiceProvider>(
        what: "service provider", primaryField: "name", primary: \.name,
        uniqueLookups: { $0.lookupKeys.map { (field: $0.field, value: $0.value) } })

    public init() {}

    public func create(_ serviceProvider: ServiceProvider) throws(StorageError) { try table.insert(serviceProvider) }

    public func get(name: String) throws(StorageError) -> ServiceProvider {
        guard let sp = table.get(name) else { throw .notFound("service provider", name) }
        return sp
    }

    public func find(_ lookup: ServiceProviderLookup) -> ServiceProvider? {
        table.first { $0.lookupKeys.contains(lookup) }
    }

    public func list() -> [ServiceProvider] { table.all().sorted { $0.name < $1.name } }

    public func update(name: String, _ change: @escaping @Sendable (ServiceProvider) throws -> ServiceProvider) throws -> ServiceProvider {
        try table.update(name, change)
    }

    public func delete(name: String) throws(StorageError) { try table.delete(name) }
}

/// In-memory users.
public final class InMemoryUserStore: UserStore {
    private let table = InMemoryTable<User>(
        what: "user", primaryField: "id", primary: \.id,
        uniqueKeys: [
            .init(field: "username", read: { $0.uniqueKey }), .init(field: "federation", read: { $0.federation?.key }),
        ])

    public init() {}

    public func create(_ user: User) throws(StorageError) { try table.insert(user) }

    public func find(federation: FederatedAccount) -> User? {
        table.first { $0.federation == federation }
    }

    public func deleteAll(provisionedBy identityProvider: String) -> [String] {
        let ids = table.all().filter { $0.federation?.identityProvider == identityProvider }.map(\.id)
        table.deleteAll { $0.federation?.identityProvider == identityProvider }
        return ids.sorted()
    }

    public func get(id: String) throws(StorageError) -> User {
        guard let user = table.get(id) else { throw .notFound("user", id) }
        return user
    }

    public func unlinkAll(provisionedBy identityProvider: String) -> [String] {
        let ids = table.all().filter { $0.federation?.identityProvider == identityProvider }.map(\.id)
        _ = table.updateAll(where: { $0.federation?.identityProvider == identityProvider }) { user in
            var new = user
            new.federation = nil
            return new
        }
        return ids.sorted()
    }

    public func find(username: String, tenant: String) -> User? {
        let key = UserIdentifier.uniqueKey(tenant: tenant, username: username)
        return table.first { $0.uniqueKey == key }
    }

    public func find(claim: String, value: String) -> [User] {
        table.all().filter { $0.claims[claim] == value }.sorted { $0.listOrder < $1.listOrder }
    }

    public func list() -> [User] { table.all().sorted { $0.listOrder < $1.listOrder } }

    public func update(id: String, _ change: @escaping @Sendable (User) throws -> User) throws -> User {
        try table.update(id, change)
    }

    public func delete(id: String) throws(StorageError) { try table.delete(id) }
}

/// In-memory SSO sessions.
public final class InMemorySessionStore: SessionStore {
    private let table = InMemoryTable<SSOSession>(what: "session", primaryField: "id", primary: \.id)

    public init() {}

    public func create(_ session: SSOSession) throws(StorageError) { try table.insert(session) }
    public func get(id: String) -> SSOSession? { table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (SSOSession) throws -> SSOSession) throws -> SSOSession {
        try table.update(id, change)
    }
    public func delete(id: String) throws(StorageError) { try table.delete(id) }
    public func count() -> Int { table.count() }
    public func list(userID: String) -> [SSOSession] { table.all().filter { $0.userID == userID }.sortedForListing() }
    public func list(federatedKey: String) -> [SSOSession] { table.all().filter { $0.federatedLogin?.key == federatedKey }.sortedForListing() }
}

/// In-memory flows.
public final class InMemoryFlowStore: FlowStore {
    private let table = InMemoryTable<AuthenticationFlowState>(what: "flow", primaryField: "id", primary: \.id)

    public init() {}

    public func create(_ flow: AuthenticationFlowState) throws(StorageError) { try table.insert(flow) }
    public func get(id: String) -> AuthenticationFlowState? { table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (AuthenticationFlowState) throws -> AuthenticationFlowState) throws
        -> AuthenticationFlowState
    {
        try table.update(id, change)
    }
    public func delete(id: String) throws(StorageError) { try table.delete(id) }
    public func count() -> Int { table.count() }
}

/// In-memory identity providers.
public final class InMemoryIdentityProviderStore: IdentityProviderStore {
    private let table = InMemoryTable<IdentityProvider>(what: "identity provider", primaryField: "name", primary: \.name)

    public init() {}

    public func create(_ identityProvider: IdentityProvider) throws(StorageError) { try table.insert(identityProvider) }

    public func get(name: String) throws(StorageError) -> IdentityProvider {
        guard let idp = table.get(name) else { throw .notFound("identity provider", name) }
        return idp
    }

    public func list() -> [IdentityProvider] { table.all().sorted { $0.name < $1.name } }

    public func update(name: String, _ change: @escaping @Sendable (IdentityProvider) throws -> IdentityProvider) throws -> IdentityProvider {
        try table.update(name, change)
    }

    public func delete(name: String) throws(StorageError) { try table.delete(name) }
}
