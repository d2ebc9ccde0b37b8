public import IdentityCore

/// In-memory authorization codes.
public final class InMemoryAuthorizationCodeStore: AuthorizationCodeStore {
    private let table = InMemoryTable<AuthorizationCodeRecord>(what: "authorization code", primaryField: "id", primary: \.id)

    public init() {}

    public func create(_ code: AuthorizationCodeRecord) throws(StorageError) { try table.insert(code) }
    public func get(id: String) -> AuthorizationCodeRecord? { table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (AuthorizationCodeRecord) throws -> AuthorizationCodeRecord) throws
        -> AuthorizationCodeRecord
    {
        try table.update(id, change)
    }
}

/// In-memory tokens.
public final class InMemoryTokenStore: TokenStore {
    private let table = InMemoryTable<OAuthTokenRecord>(what: "token", primaryField: "id", primary: \.id)

    public init() {}

    public func create(_ token: OAuthTokenRecord) throws(StorageError) { try table.insert(token) }
    public func get(id: String) -> OAuthTokenRecord? { table.get(id) }
    public func update(id: String, _ change: @escaping @Sendable (OAuthTokenRecord) throws -> OAuthTokenRecord) throws -> OAuthTokenRecord {
        try table.update(id, change)
    }
    public func revoke(grantID: String) -> Int {
        table.updateAll(where: { $0.grantID == grantID && !$0.revoked }, OAuthTokenRecord.revoking)
    }
    public func revoke(clientID: String) -> Int {
        table.updateAll(where: { $0.clientID == clientID && !$0.revoked }, OAuthTokenRecord.revoking)
    }
    public func countActive() -> Int { table.all().filter { !$0.revoked }.count }
}

/// In-memory device authorizations.
public final class InMemoryDeviceAuthorizationStore: DeviceAuthorizationStore {
    private let table = InMemoryTable<DeviceAuthorizationRecord>(
        what: "device authorization", primaryField: "id", primary: \.id,
        uniqueKeys: [.init(field: "userCode", read: { $0.userCode })])

    public init() {}

    public func create(_ authorization: DeviceAuthorizationRecord) throws(StorageError) { try table.insert(authorization) }
    public func get(id: String) -> DeviceAuthorizationRecord? { table.get(id) }
    public func find(userCode: String) -> DeviceAuthorizationRecord? { table.first { $0.userCode == userCode } }
    public func update(id: String, _ change: @escaping @Sendable (DeviceAuthorizationRecord) throws -> DeviceAuthorizationRecord) throws
        -> DeviceAuthorizationRecord
    {
        try table.update(id, change)
    }
}

/// In-memory scope table.
public final class InMemoryScopeStore: ScopeStore {
    private let table = InMemoryTable<OIDCScope>(what: "scope", primaryField: "name", primary: \.name)

    public init() {}

    public func list() -> [OIDCScope] { table.all().sorted { $0.name < $1.name } }
    public func put(_ scope: OIDCScope) throws(StorageError) { try table.upsert(scope) }
    public func delete(name: String) throws(StorageError) { try table.delete(name) }
}

extension OAuthTokenRecord {
    /// The same token, revoked.
    @Sendable public static func revoking(_ token: OAuthTokenRecord) -> OAuthTokenRecord {
        var revoked = token
        revoked.revoked = true
        return revoked
    }
}
