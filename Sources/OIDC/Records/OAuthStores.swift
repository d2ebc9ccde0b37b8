public import IdentityStorage

/// The OIDC module's stores, on whatever backend the server runs: thin views of the
/// generic record stores that name the operations the grants need.
extension Storage {
    public var authorizationCodes: AuthorizationCodeStore { AuthorizationCodeStore(records: records(AuthorizationCodeRecord.self)) }
    public var tokens: TokenStore { TokenStore(records: records(OAuthTokenRecord.self)) }
    public var deviceAuthorizations: DeviceAuthorizationStore { DeviceAuthorizationStore(records: records(DeviceAuthorizationRecord.self)) }
    public var scopes: ScopeStore { ScopeStore(records: records(OIDCScope.self)) }
    public var pushedAuthorizations: PushedAuthorizationStore { PushedAuthorizationStore(records: records(PushedAuthorizationRecord.self)) }
}

/// Pushed authorization requests by the hash of their `request_uri`.
public struct PushedAuthorizationStore: Sendable {
    let records: any RecordStore<PushedAuthorizationRecord>

    public func create(_ record: PushedAuthorizationRecord) async throws(StorageError) { try await records.create(record) }

    /// Marks the record used and returns it — in one compare-and-swap, so of two requests
    /// racing with one `request_uri` only one gets it (RFC 9126 §4: one-time use).
    /// `redeemable` sees the stored record and throws to refuse it, changing nothing;
    /// an unknown ID throws `storage.not_found`.
    public func redeem(id: String, _ redeemable: @escaping @Sendable (PushedAuthorizationRecord) throws -> Void) async throws
        -> PushedAuthorizationRecord
    {
        try await records.update(id) { record in
            try redeemable(record)
            var used = record
            used.used = true
            return used
        }
    }
}

/// Authorization codes by the hash of the code.
public struct AuthorizationCodeStore: Sendable {
    let records: any RecordStore<AuthorizationCodeRecord>

    public func create(_ code: AuthorizationCodeRecord) async throws(StorageError) { try await records.create(code) }
    public func get(id: String) async throws(StorageError) -> AuthorizationCodeRecord? { try await records.get(id) }
    @discardableResult
    public func update(id: String, _ change: @escaping @Sendable (AuthorizationCodeRecord) throws -> AuthorizationCodeRecord) async throws
        -> AuthorizationCodeRecord
    {
        try await records.update(id, change)
    }
}

/// Access and refresh tokens by the hash of the token.
public struct TokenStore: Sendable {
    let records: any RecordStore<OAuthTokenRecord>

    public func create(_ token: OAuthTokenRecord) async throws(StorageError) { try await records.create(token) }
    public func get(id: String) async throws(StorageError) -> OAuthTokenRecord? { try await records.get(id) }
    @discardableResult
    public func update(id: String, _ change: @escaping @Sendable (OAuthTokenRecord) throws -> OAuthTokenRecord) async throws -> OAuthTokenRecord {
        try await records.update(id, change)
    }
    /// Revokes every token of a grant (a code's family); returns how many changed.
    @discardableResult
    public func revoke(grantID: String) async throws(StorageError) -> Int {
        try await records.updateAll("grant_id", equals: grantID, where: { !$0.revoked }, OAuthTokenRecord.revoking)
    }
    /// Revokes every token that came from an SSO session, when it ends (logout); returns how
    /// many changed.
    @discardableResult
    public func revoke(sessionID: String) async throws(StorageError) -> Int {
        try await records.updateAll("session_id", equals: sessionID, where: { !$0.revoked }, OAuthTokenRecord.revoking)
    }
    /// Revokes every token of a client (OA-6); returns how many changed.
    @discardableResult
    public func revoke(clientID: String) async throws(StorageError) -> Int {
        try await records.updateAll("client_id", equals: clientID, where: { !$0.revoked }, OAuthTokenRecord.revoking)
    }
    /// Live (unrevoked) tokens, for state snapshots.
    public func countActive() async throws(StorageError) -> Int {
        try await records.all().filter { !$0.revoked }.count
    }
}

/// Device authorizations by the hash of the device code, and by user code.
public struct DeviceAuthorizationStore: Sendable {
    let records: any RecordStore<DeviceAuthorizationRecord>

    public func create(_ authorization: DeviceAuthorizationRecord) async throws(StorageError) { try await records.create(authorization) }
    public func get(id: String) async throws(StorageError) -> DeviceAuthorizationRecord? { try await records.get(id) }
    public func find(userCode: String) async throws(StorageError) -> DeviceAuthorizationRecord? {
        try await records.find("user_code", equals: userCode)
    }
    @discardableResult
    public func update(id: String, _ change: @escaping @Sendable (DeviceAuthorizationRecord) throws -> DeviceAuthorizationRecord) async throws
        -> DeviceAuthorizationRecord
    {
        try await records.update(id, change)
    }
}

/// The server-wide scope → claims table (CL-8).
public struct ScopeStore: Sendable {
    let records: any RecordStore<OIDCScope>

    /// Sorted by name.
    public func list() async throws(StorageError) -> [OIDCScope] { try await records.all().sorted { $0.name < $1.name } }
    /// Creates or replaces.
    public func put(_ scope: OIDCScope) async throws(StorageError) { try await records.upsert(scope) }
    public func delete(name: String) async throws(StorageError) { try await records.delete(name) }
}

extension OAuthTokenRecord {
    /// The same token, revoked.
    @Sendable static func revoking(_ token: OAuthTokenRecord) -> OAuthTokenRecord {
        var revoked = token
        revoked.revoked = true
        return revoked
    }
}
