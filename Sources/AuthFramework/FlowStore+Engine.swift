import IdentityCore
import IdentityStorage

/// How the engine changes and ends flows. A flow that is gone — finished by a parallel
/// submission of the same page (a double click), or expired and removed — is the
/// person's `auth.flow_expired` with its public message, never a storage error shown as
/// a page; and a flow can be ended only once, so two submissions cannot both complete it.
extension FlowStore {
    @discardableResult
    func advance(id: String, _ change: @escaping @Sendable (AuthenticationFlowState) throws -> AuthenticationFlowState) async throws
        -> AuthenticationFlowState
    {
        do {
            return try await update(id: id, change)
        } catch let error as StorageError where error.code == .storageNotFound {
            throw Self.gone
        }
    }

    func end(id: String) async throws {
        do {
            try await delete(id: id)
        } catch where error.code == .storageNotFound {
            throw Self.gone
        }
    }

    private static var gone: AuthError {
        AuthError(.authFlowExpired, detail: "this login was completed by another submission or has expired")
    }
}
