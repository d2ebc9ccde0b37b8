public import IdentityCore

/// Authorization codes by the hash of the code.
public protocol AuthorizationCodeStore: Sendable {
    func create(_ code: AuthorizationCodeRecord) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> AuthorizationCodeRecord?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (AuthorizationCodeRecord) throws -> AuthorizationCodeRecord) async throws
        -> AuthorizationCodeRecord
}

/// Access and refresh tokens by the hash of the token.
public protocol TokenStore: Sendable {
    func create(_ token: OAuthTokenRecord) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> OAuthTokenRecord?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (OAuthTokenRecord) throws -> OAuthTokenRecord) async throws -> OAuthTokenRecord
    /// Revokes every token of a grant (a code's family); returns how many changed.
    @discardableResult
    func revoke(grantID: String) async throws(StorageError) -> Int
    /// Revokes every token of a client (OA-6); returns how many changed.
    @discardableResult
    func revoke(clientID: String) async throws(StorageError) -> Int
    /// Live (unrevoked) tokens, for state snapshots.
    func countActive() async throws(StorageError) -> Int
}

/// Device authorizations by the hash of the device code, and by user code.
public protocol DeviceAuthorizationStore: Sendable {
    func create(_ authorization: DeviceAuthorizationRecord) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> DeviceAuthorizationRecord?
    func find(userCode: String) async throws(StorageError) -> DeviceAuthorizationRecord?
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (DeviceAuthorizationRecord) throws -> DeviceAuthorizationRecord) async throws
        -> DeviceAuthorizationRecord
}

/// The server-wide scope → claims table (CL-8).
public protocol ScopeStore: Sendable {
    /// Sorted by name.
    func list() async throws(StorageError) -> [OIDCScope]
    /// Creates or replaces.
    func put(_ scope: OIDCScope) async throws(StorageError)
    func delete(name: String) async throws(StorageError)
}
