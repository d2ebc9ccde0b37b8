public import IdentityCore

/// Registered service providers, unique by name and by each of their lookup keys (a SAML
/// issuer, an OAuth client ID: whatever their protocol sections declare).
public protocol ServiceProviderStore: Sendable {
    /// Throws `storage.already_exists` if the name or a lookup key is taken.
    func create(_ serviceProvider: ServiceProvider) async throws(StorageError)
    /// Throws `storage.not_found`.
    func get(name: String) async throws(StorageError) -> ServiceProvider
    /// The provider one of whose lookup keys is `lookup`.
    func find(_ lookup: ServiceProviderLookup) async throws(StorageError) -> ServiceProvider?
    /// Sorted by name.
    func list() async throws(StorageError) -> [ServiceProvider]
    /// Compare-and-swap style update: `change` sees the stored value and returns the new
    /// one; an error it throws aborts the update and leaves the record as it was.
    @discardableResult
    func update(name: String, _ change: @escaping @Sendable (ServiceProvider) throws -> ServiceProvider) async throws -> ServiceProvider
    func delete(name: String) async throws(StorageError)
}
