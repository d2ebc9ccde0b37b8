public import IdentityCore

/// Single sign-on sessions, keyed by the hash of their cookie value.
public protocol SessionStore: Sendable {
    func create(_ session: SSOSession) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> SSOSession?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (SSOSession) throws -> SSOSession) async throws -> SSOSession
    func delete(id: String) async throws(StorageError)
    func count() async throws(StorageError) -> Int
    /// A person's sessions, live or expired, oldest login first (the sessions API, AU-8).
    func list(userID: String) async throws(StorageError) -> [SSOSession]
    /// The sessions that came from one person's login at a federated IdP
    /// (``FederatedLogin/key``): what a logout the IdP starts ends.
    func list(federatedKey: String) async throws(StorageError) -> [SSOSession]
}

extension [SSOSession] {
    /// The order every backend lists a person's sessions in: by login time, then ID.
    public func sortedForListing() -> [SSOSession] {
        sorted { ($0.authenticatedAt, $0.id) < ($1.authenticatedAt, $1.id) }
    }
}
