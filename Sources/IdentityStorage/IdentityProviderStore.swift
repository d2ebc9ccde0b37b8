public import IdentityCore

/// Federated identity providers (FE-1), unique by name.
public protocol IdentityProviderStore: Sendable {
    /// Throws `storage.already_exists` if the name is taken.
    func create(_ identityProvider: IdentityProvider) async throws(StorageError)
    /// Throws `storage.not_found`.
    func get(name: String) async throws(StorageError) -> IdentityProvider
    /// Sorted by name.
    func list() async throws(StorageError) -> [IdentityProvider]
    @discardableResult
    func update(name: String, _ change: @escaping @Sendable (IdentityProvider) throws -> IdentityProvider) async throws -> IdentityProvider
    func delete(name: String) async throws(StorageError)
}
