public import IdentityCore

/// User accounts, unique by id and by (tenant, user store, username).
public protocol UserStore: Sendable {
    func create(_ user: User) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> User
    func find(_ identifier: UserIdentifier) async throws(StorageError) -> User?
    /// Sorted by tenant, user store, username.
    func list() async throws(StorageError) -> [User]
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (User) throws -> User) async throws -> User
    func delete(id: String) async throws(StorageError)
}
