public import IdentityCore

/// Logins in progress (server-side flow state).
public protocol FlowStore: Sendable {
    func create(_ flow: AuthenticationFlowState) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> AuthenticationFlowState?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (AuthenticationFlowState) throws -> AuthenticationFlowState) async throws
        -> AuthenticationFlowState
    func delete(id: String) async throws(StorageError)
    func count() async throws(StorageError) -> Int
}
