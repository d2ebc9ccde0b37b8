import Foundation
import GRDB
import IdentityCore
import IdentityStorage

struct SQLiteServiceProviderStore: ServiceProviderStore {
    let table: SQLiteTable<ServiceProvider>

    init(writer: any DatabaseWriter, sections: SectionRegistry) {
        var table = SQLiteTable<ServiceProvider>(
            writer: writer, table: "service_providers", what: "service provider",
            primary: .init(name: "name", field: "name", read: { $0.name }), uniques: [])
        table.lookups = .init(table: "service_provider_lookups", read: { $0.lookupKeys })
        table.userInfo = sections.userInfo
        self.table = table
    }

    func create(_ serviceProvider: ServiceProvider) async throws(StorageError) { try await table.insert(serviceProvider) }

    func get(name: String) async throws(StorageError) -> ServiceProvider {
        guard let sp = try await table.get(name) else { throw .notFound("service provider", name) }
        return sp
    }

    func find(_ lookup: ServiceProviderLookup) async throws(StorageError) -> ServiceProvider? {
        try await table.fetch(lookup)
    }

    func list() async throws(StorageError) -> [ServiceProvider] { try await table.all(orderBy: "name") }

    func update(name: String, _ change: @escaping @Sendable (ServiceProvider) throws -> ServiceProvider) async throws
        -> ServiceProvider
    {
        try await table.update(name, change)
    }

    func delete(name: String) async throws(StorageError) { try await table.delete(name) }
}

struct SQLiteUserStore: UserStore {
    var table: SQLiteTable<User>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "users", what: "user",
            primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [
                .init(name: "user_key", field: "username", read: { $0.uniqueKey }),
                .init(name: "federation", field: "federation", read: { $0.federation?.key }),
            ])
    }

    func create(_ user: User) async throws(StorageError) { try await table.insert(user) }

    func find(federation: FederatedAccount) async throws(StorageError) -> User? {
        try await table.fetch(column: "federation", equals: federation.key)
    }

    func deleteAll(provisionedBy identityProvider: String) async throws(StorageError) -> [String] {
        let ids = try await table.all(orderBy: "user_key").filter { $0.federation?.identityProvider == identityProvider }.map(\.id)
        // federation is "<IdP name>/<subject>"; IdP names hold no "/".
        try await table.deleteAll(where: "substr(federation, 1, length(?) + 1) = ? || '/'", [identityProvider, identityProvider])
        return ids.sorted()
    }

    func get(id: String) async throws(StorageError) -> User {
        guard let user = try await table.get(id) else { throw .notFound("user", id) }
        return user
    }

    func unlinkAll(provisionedBy identityProvider: String) async throws -> [String] {
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

    func find(username: String, tenant: String) async throws(StorageError) -> User? {
        try await table.fetch(column: "user_key", equals: UserIdentifier.uniqueKey(tenant: tenant, username: username))
    }

    func find(claim: String, value: String) async throws(StorageError) -> [User] {
        // Rows whose JSON holds the value as the encoder writes it (slashes escaped), then
        // the exact claim in Swift: SQLite's JSON paths compare keys unescaped.
        let encoded = (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\(value)\""
        return try await table.all(where: "instr(CAST(data AS TEXT), ?) > 0", [encoded])
            .filter { $0.claims[claim] == value }
            .sorted { $0.listOrder < $1.listOrder }
    }

    func list() async throws(StorageError) -> [User] {
        try await table.all(orderBy: "user_key").sorted { $0.listOrder < $1.listOrder }
    }

    func update(id: String, _ change: @escaping @Sendable (User) throws -> User) async throws -> User {
        try await table.update(id, change)
    }

    func delete(id: String) async throws(StorageError) { try await table.delete(id) }
}

struct SQLiteAssociationStore: AssociationStore {
    let table: SQLiteTable<FederatedAssociation>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "associations", what: "association",
            primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [.init(name: "federation", field: "federation", read: { $0.account.key })],
            indexed: [
                .init(name: "user_id", field: "userID", read: { $0.userID }),
                .init(name: "identity_provider", field: "identityProvider", read: { $0.identityProvider }),
            ])
    }

    func create(_ association: FederatedAssociation) async throws(StorageError) { try await table.insert(association) }
    func get(id: String) async throws(StorageError) -> FederatedAssociation? { try await table.get(id) }
    func find(_ account: FederatedAccount) async throws(StorageError) -> FederatedAssociation? {
        try await table.fetch(column: "federation", equals: account.key)
    }
    func list(userID: String) async throws(StorageError) -> [FederatedAssociation] {
        try await table.all(column: "user_id", equals: userID, orderBy: "identity_provider").sortedForListing()
    }
    func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    func deleteAll(identityProvider: String) async throws(StorageError) -> Int {
        try await table.deleteAll(column: "identity_provider", equals: identityProvider)
    }
    func deleteAll(userID: String) async throws(StorageError) -> Int { try await table.deleteAll(column: "user_id", equals: userID) }
}

struct SQLiteSessionStore: SessionStore {
    let table: SQLiteTable<SSOSession>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "sessions", what: "session",
            primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [],
            indexed: [
                .init(name: "user_id", field: "userID", read: { $0.userID }),
                .init(name: "federated_key", field: "federatedLogin", read: { $0.federatedLogin?.key }),
            ])
    }

    func create(_ session: SSOSession) async throws(StorageError) { try await table.insert(session) }
    func get(id: String) async throws(StorageError) -> SSOSession? { try await table.get(id) }
    func update(id: String, _ change: @escaping @Sendable (SSOSession) throws -> SSOSession) async throws -> SSOSession {
        try await table.update(id, change)
    }
    func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    func count() async throws(StorageError) -> Int { try await table.count() }
    func list(userID: String) async throws(StorageError) -> [SSOSession] {
        try await table.all(column: "user_id", equals: userID, orderBy: "id").sortedForListing()
    }
    func list(federatedKey: String) async throws(StorageError) -> [SSOSession] {
        try await table.all(column: "federated_key", equals: federatedKey, orderBy: "id").sortedForListing()
    }
}

struct SQLiteFlowStore: FlowStore {
    let table: SQLiteTable<AuthenticationFlowState>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "flows", what: "flow",
            primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [])
    }

    func create(_ flow: AuthenticationFlowState) async throws(StorageError) { try await table.insert(flow) }
    func get(id: String) async throws(StorageError) -> AuthenticationFlowState? { try await table.get(id) }
    func update(id: String, _ change: @escaping @Sendable (AuthenticationFlowState) throws -> AuthenticationFlowState)
        async throws -> AuthenticationFlowState
    {
        try await table.update(id, change)
    }
    func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    func count() async throws(StorageError) -> Int { try await table.count() }
}

struct SQLiteIdentityProviderStore: IdentityProviderStore {
    let table: SQLiteTable<IdentityProvider>

    init(writer: any DatabaseWriter, sections: SectionRegistry) {
        var table = SQLiteTable<IdentityProvider>(
            writer: writer, table: "identity_providers", what: "identity provider", primary: .init(name: "name", field: "name", read: { $0.name }),
            uniques: [])
        table.userInfo = sections.userInfo
        self.table = table
    }

    func create(_ identityProvider: IdentityProvider) async throws(StorageError) { try await table.insert(identityProvider) }

    func get(name: String) async throws(StorageError) -> IdentityProvider {
        guard let idp = try await table.get(name) else { throw .notFound("identity provider", name) }
        return idp
    }

    func list() async throws(StorageError) -> [IdentityProvider] { try await table.all(orderBy: "name") }

    func update(name: String, _ change: @escaping @Sendable (IdentityProvider) throws -> IdentityProvider) async throws -> IdentityProvider {
        try await table.update(name, change)
    }

    func delete(name: String) async throws(StorageError) { try await table.delete(name) }
}
