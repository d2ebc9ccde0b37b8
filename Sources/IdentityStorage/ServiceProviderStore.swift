public import IdentityCore

/// Registered service providers, unique by name, by SAML issuer and by OAuth client ID.
public protocol ServiceProviderStore: Sendable {
    /// Throws `storage.already_exists` if the name or SAML issuer is taken.
    func create(_ serviceProvider: ServiceProvider) async throws(StorageError)
    /// Throws `storage.not_found`.
    func get(name: String) async throws(StorageError) -> ServiceProvider
    func find(samlIssuer: String) async throws(StorageError) -> ServiceProvider?
    func find(oidcClientID: String) async throws(StorageError) -> ServiceProvider?
    /// Sorted by name.
    func list() async throws(StorageError) -> [ServiceProvider]
    /// Compare-and-swap style update: `change` sees the stored value and returns the new
    /// one; an error it throws aborts the update and leaves the record as it was.
    @discardableResult
    func update(name: String, _ change: @escaping @Sendable (ServiceProvider) throws -> ServiceProvider) async throws -> ServiceProvider
    func delete(name: String) async throws(StorageError)
}
