public import IdentityCore

/// User accounts, unique by id, by (tenant, user store, username) and by the federated
/// account they were provisioned from.
public protocol UserStore: Sendable {
    /// One insert: a provisioned account arrives whole (claims, link and all) or not at all.
    func create(_ user: User) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> User
    func find(_ identifier: UserIdentifier) async throws(StorageError) -> User?
    /// JIT-6: the account provisioned from this IdP person, if any.
    func find(federation: FederatedAccount) async throws(StorageError) -> User?
    /// Removes the accounts an IdP provisioned (JIT-7, the IdP is deleted); returns their ids.
    func deleteAll(provisionedBy identityProvider: String) async throws(StorageError) -> [String]
    /// Sorted by tenant, user store, username.
    func list() async throws(StorageError) -> [User]
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (User) throws -> User) async throws -> User
    func delete(id: String) async throws(StorageError)
}
