public import IdentityCore

/// Single sign-on sessions, keyed by the hash of their cookie value.
public protocol SessionStore: Sendable {
    func create(_ session: SSOSession) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> SSOSession?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (SSOSession) throws -> SSOSession) async throws -> SSOSession
    func delete(id: String) async throws(StorageError)
    func count() async throws(StorageError) -> Int
}
