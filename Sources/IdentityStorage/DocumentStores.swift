import Foundation
public import IdentityCore

// The stores of every SQL backend, written once against `DocumentTable`: a backend hands
// each its table (SQLite's, PostgreSQL's), and the stores behave alike on all.

public struct DocumentServiceProviderStore: ServiceProviderStore {
    let table: any DocumentTable<ServiceProvider>

    public init(table: any DocumentTable<ServiceProvider>) {
        self.table = table
    }

    public func create(_ serviceProvider: ServiceProvider) async throws(StorageError) { try await table.insert(serviceProvider) }

    public func get(name: String) async throws(StorageError) -> ServiceProvider {
        guard let sp = try await table.get(name) else { throw .notFound("service provider", name) }
        return sp
    }

    public func find(_ lookup: ServiceProviderLookup) async throws(StorageError) -> ServiceProvider? {
        try await table.fetch(lookup)
    }

    public func list() async throws(StorageError) -> [ServiceProvider] { try await table.all(orderBy: "name") }

    public func update(name: String, _ change: @escaping @Sendable (ServiceProvider) throws -> ServiceProvider) async throws
        -> ServiceProvider
    {
        try await table.update(name, change)
    }

    public func delete(name: String) async throws(StorageError) { try await table.delete(name) }
}

public struct DocumentUserStore: UserStore {
    let table: any DocumentTable<User>

    public init(table: any DocumentTable<User>) {
        self.table = table
    }

    public func create(_ user: User) async throws(StorageError) { try await table.insert(user) }

    public func find(federation: FederatedAccount) async throws(StorageError) -> User? {
        try await table.fetch(column: "federation", equals: federation.key)
    }

    public func deleteAll(provisionedBy identityProvider: String) async throws(StorageError) -> [String] {
        let ids = try await table.all(orderBy: "user_key").filter { $0.federation?.identityProvider == identityProvider }.map(\.id)
        // federation is "<IdP name>/<subject>"; IdP names hold no "/".
        try await table.deleteAll(column: "federation", prefix: identityProvider + "/")
        return ids.sorted()
    }

    public func get(id: String) async throws(StorageError) -> User {
        guard let user = try await table.get(id) else { throw .notFound("user", id) }
        return user
    }

    public func unlinkAll(provisionedBy identityProvider: String) async throws -> [String] {
        var ids = [String]()
        for user in try await table.all(orderBy: "user_key") where user.federation?.identityProvider == identityProvider {
            _ = try await table.update(user.id) { old in
                var new = old
                new.federation = nil
                return new
            }
            ids.append(user.id)
        }
        return ids.sorted()
    }

    public func find(username: String, tenant: String) async throws(StorageError) -> User? {
        try await table.fetch(column: "user_key", equals: UserIdentifier.uniqueKey(tenant: tenant, username: username))
    }

    public func find(claim: String, value: String) async throws(StorageError) -> [User] {
        // Rows whose JSON holds the value as the encoder writes it (slashes escaped), then
        // the exact claim in Swift: JSON paths compare keys unescaped.
        let encoded = (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\(value)\""
        return try await table.all(jsonContaining: encoded)
            .filter { $0.claims[claim] == value }
            .sorted { $0.listOrder < $1.listOrder }
    }

    public func list() async throws(StorageError) -> [User] {
        try await table.all(orderBy: "user_key").sorted { $0.listOrder < $1.listOrder }
    }

    public func update(id: String, _ change: @escaping @Sendable (User) throws -> User) async throws -> User {
        try await table.update(id, change)
    }

    public func delete(id: String) async throws(StorageError) { try await table.delete(id) }
}

public struct DocumentAssociationStore: AssociationStore {
    let table: any DocumentTable<FederatedAssociation>

    public init(table: any DocumentTable<FederatedAssociation>) {
        self.table = table
    }

    public func create(_ association: FederatedAssociation) async throws(StorageError) { try await table.insert(association) }
    public func get(id: String) async throws(StorageError) -> FederatedAssociation? { try await table.get(id) }
    public func find(_ account: FederatedAccount) async throws(StorageError) -> FederatedAssociation? {
        try await table.fetch(column: "federation", equals: account.key)
    }
    public func list(userID: String) async throws(StorageError) -> [FederatedAssociation] {
        try await table.all(column: "user_id", equals: userID, orderBy: "identity_provider").sortedForListing()
    }
    public func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    public func deleteAll(identityProvider: String) async throws(StorageError) -> Int {
        try await table.deleteAll(column: "identity_provider", equals: identityProvider)
    }
    public func deleteAll(userID: String) async throws(StorageError) -> Int { try await table.deleteAll(column: "user_id", equals: userID) }
}

public struct DocumentSessionStore: SessionStore {
    let table: any DocumentTable<SSOSession>

    public init(table: any DocumentTable<SSOSession>) {
        self.table = table
    }

    public func create(_ session: SSOSession) async throws(StorageError) { try await table.insert(session) }
    public func get(id: String) async throws(StorageError) -> SSOSession? { try await table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (SSOSession) throws -> SSOSession) async throws -> SSOSession {
        try await table.update(id, change)
    }
    public func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    public func count() async throws(StorageError) -> Int { try await table.count() }
    public func list(userID: String) async throws(StorageError) -> [SSOSession] {
        try await table.all(column: "user_id", equals: userID, orderBy: "id").sortedForListing()
    }
    public func list(federatedKey: String) async throws(StorageError) -> [SSOSession] {
        try await table.all(column: "federated_key", equals: federatedKey, orderBy: "id").sortedForListing()
    }
}

public struct DocumentFlowStore: FlowStore {
    let table: any DocumentTable<AuthenticationFlowState>

    public init(table: any DocumentTable<AuthenticationFlowState>) {
        self.table = table
    }

    public func create(_ flow: AuthenticationFlowState) async throws(StorageError) { try await table.insert(flow) }
    public func get(id: String) async throws(StorageError) -> AuthenticationFlowState? { try await table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (AuthenticationFlowState) throws -> AuthenticationFlowState)
        async throws -> AuthenticationFlowState
    {
        try await table.update(id, change)
    }
    public func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    public func count() async throws(StorageError) -> Int { try await table.count() }
}

public struct DocumentIdentityProviderStore: IdentityProviderStore {
    let table: any DocumentTable<IdentityProvider>

    public init(table: any DocumentTable<IdentityProvider>) {
        self.table = table
    }

    public func create(_ identityProvider: IdentityProvider) async throws(StorageError) { try await table.insert(identityProvider) }

    public func get(name: String) async throws(StorageError) -> IdentityProvider {
        guard let idp = try await table.get(name) else { throw .notFound("identity provider", name) }
        return idp
    }

    public func list() async throws(StorageError) -> [IdentityProvider] { try await table.all(orderBy: "name") }

    public func update(name: String, _ change: @escaping @Sendable (IdentityProvider) throws -> IdentityProvider) async throws -> IdentityProvider {
        try await table.update(name, change)
    }

    public func delete(name: String) async throws(StorageError) { try await table.delete(name) }
}

public struct DocumentConsentStore: ConsentStore {
    let table: any DocumentTable<ConsentReceipt>

    public init(table: any DocumentTable<ConsentReceipt>) {
        self.table = table
    }

    @discardableResult
    public func record(userID: String, serviceProvider: String, _ change: @escaping @Sendable (ConsentReceipt?) -> ConsentReceipt)
        async throws(StorageError) -> ConsentReceipt
    {
        do {
            return try await table.upsert(column: "user_sp", equals: "\(userID)/\(serviceProvider)") { old in
                try change(old).checked(userID: userID, serviceProvider: serviceProvider)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.storageUnavailable, detail: "consents: \(error)")
        }
    }

    public func find(userID: String, serviceProvider: String) async throws(StorageError) -> ConsentReceipt? {
        try await table.fetch(column: "user_sp", equals: "\(userID)/\(serviceProvider)")
    }

    public func list(userID: String) async throws(StorageError) -> [ConsentReceipt] {
        try await table.all(column: "user_id", equals: userID, orderBy: "user_sp")
    }

    public func all() async throws(StorageError) -> [ConsentReceipt] { try await table.all(orderBy: "user_sp") }
    public func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    @discardableResult public func deleteAll(userID: String) async throws(StorageError) -> Int {
        try await table.deleteAll(column: "user_id", equals: userID)
    }
    /// Rare (the SP is deleted): every receipt is read.
    @discardableResult public func deleteAll(serviceProvider: String) async throws(StorageError) -> Int {
        try await table.deleteAll { $0.serviceProvider == serviceProvider }
    }
}

/// The records of one type a protocol module keeps, on any SQL backend's table laid out
/// as ``StoredRecord/layout`` says.
public struct DocumentRecordStore<Record: StoredRecord>: RecordStore {
    let table: any DocumentTable<Record>

    public init(table: any DocumentTable<Record>) {
        self.table = table
    }

    public func create(_ record: Record) async throws(StorageError) { try await table.insert(record) }
    public func get(_ key: String) async throws(StorageError) -> Record? { try await table.get(key) }
    public func find(_ column: String, equals value: String) async throws(StorageError) -> Record? {
        try await table.fetch(column: Record.layout.column(column).name, equals: value)
    }
    public func all() async throws(StorageError) -> [Record] { try await table.all(orderBy: Record.layout.primary.name) }
    public func all(_ column: String, equals value: String) async throws(StorageError) -> [Record] {
        try await table.all(column: Record.layout.column(column).name, equals: value, orderBy: Record.layout.primary.name)
    }
    public func update(_ key: String, _ change: @escaping @Sendable (Record) throws -> Record) async throws -> Record {
        try await table.update(key, change)
    }
    public func updateAll(
        _ column: String, equals value: String, where predicate: @escaping @Sendable (Record) -> Bool,
        _ change: @escaping @Sendable (Record) -> Record
    ) async throws(StorageError) -> Int {
        try await table.updateAll(column: Record.layout.column(column).name, equals: value, where: predicate, change)
    }
    public func upsert(_ record: Record) async throws(StorageError) { try await table.upsert(record) }
    public func delete(_ key: String) async throws(StorageError) { try await table.delete(key) }
}
