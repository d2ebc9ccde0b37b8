import Foundation
import GRDB
import IdentityCore
import IdentityStorage

struct SQLiteAuthorizationCodeStore: AuthorizationCodeStore {
    let table: SQLiteTable<AuthorizationCodeRecord>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "authorization_codes", what: "authorization code",
            primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [])
    }

    func create(_ code: AuthorizationCodeRecord) async throws(StorageError) { try await table.insert(code) }
    func get(id: String) async throws(StorageError) -> AuthorizationCodeRecord? { try await table.get(id) }
    func update(id: String, _ change: @escaping @Sendable (AuthorizationCodeRecord) throws -> AuthorizationCodeRecord) async throws
        -> AuthorizationCodeRecord
    {
        try await table.update(id, change)
    }
}

struct SQLiteTokenStore: TokenStore {
    let table: SQLiteTable<OAuthTokenRecord>

    init(writer: any DatabaseWriter) {
        var table = SQLiteTable<OAuthTokenRecord>(
            writer: writer, table: "tokens", what: "token", primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [])
        table.indexed = [
            .init(name: "grant_id", field: "grantID", read: { $0.grantID }),
            .init(name: "client_id", field: "clientID", read: { $0.clientID }),
        ]
        self.table = table
    }

    func create(_ token: OAuthTokenRecord) async throws(StorageError) { try await table.insert(token) }
    func get(id: String) async throws(StorageError) -> OAuthTokenRecord? { try await table.get(id) }
    func update(id: String, _ change: @escaping @Sendable (OAuthTokenRecord) throws -> OAuthTokenRecord) async throws -> OAuthTokenRecord {
        try await table.update(id, change)
    }
    func revoke(grantID: String) async throws(StorageError) -> Int {
        try await table.updateAll(column: "grant_id", equals: grantID, where: { !$0.revoked }, OAuthTokenRecord.revoking)
    }
    func revoke(clientID: String) async throws(StorageError) -> Int {
        try await table.updateAll(column: "client_id", equals: clientID, where: { !$0.revoked }, OAuthTokenRecord.revoking)
    }
    func countActive() async throws(StorageError) -> Int {
        try await table.all(orderBy: "id").filter { !$0.revoked }.count
    }
}

struct SQLiteDeviceAuthorizationStore: DeviceAuthorizationStore {
    let table: SQLiteTable<DeviceAuthorizationRecord>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(
            writer: writer, table: "device_authorizations", what: "device authorization",
            primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [.init(name: "user_code", field: "userCode", read: { $0.userCode })])
    }

    func create(_ authorization: DeviceAuthorizationRecord) async throws(StorageError) { try await table.insert(authorization) }
    func get(id: String) async throws(StorageError) -> DeviceAuthorizationRecord? { try await table.get(id) }
    func find(userCode: String) async throws(StorageError) -> DeviceAuthorizationRecord? {
        try await table.fetch(column: "user_code", equals: userCode)
    }
    func update(id: String, _ change: @escaping @Sendable (DeviceAuthorizationRecord) throws -> DeviceAuthorizationRecord) async throws
        -> DeviceAuthorizationRecord
    {
        try await table.update(id, change)
    }
}

struct SQLiteScopeStore: ScopeStore {
    let table: SQLiteTable<OIDCScope>

    init(writer: any DatabaseWriter) {
        table = SQLiteTable(writer: writer, table: "scopes", what: "scope", primary: .init(name: "name", field: "name", read: { $0.name }), uniques: [])
    }

    func list() async throws(StorageError) -> [OIDCScope] { try await table.all(orderBy: "name") }
    func put(_ scope: OIDCScope) async throws(StorageError) { try await table.upsert(scope) }
    func delete(name: String) async throws(StorageError) { try await table.delete(name) }
}

struct SQLiteReplayStore: ReplayStore {
    let writer: any DatabaseWriter

    /// One transaction: an unexpired entry refuses the claim; otherwise the key is
    /// (re)written. Expired entries are swept on the way.
    func claim(_ key: String, until expiresAt: Date, now: Date) async throws(StorageError) -> Bool {
        do {
            return try await writer.write { db in
                try db.execute(sql: "DELETE FROM replays WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM replays WHERE key = ?", arguments: [key]) != nil { return false }
                try db.execute(sql: "INSERT INTO replays (key, expires_at) VALUES (?, ?)", arguments: [key, expiresAt.timeIntervalSince1970])
                return true
            }
        } catch {
            throw StorageError(.storageUnavailable, detail: "replays: \(error)")
        }
    }
}

struct SQLiteConsentStore: ConsentStore {
    let table: SQLiteTable<ConsentReceipt>

    init(writer: any DatabaseWriter) {
        var table = SQLiteTable<ConsentReceipt>(
            writer: writer, table: "consents", what: "consent receipt", primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [.init(name: "user_sp", field: "serviceProvider", read: { "\($0.userID)/\($0.serviceProvider)" })])
        table.indexed = [.init(name: "user_id", field: "userID", read: { $0.userID })]
        self.table = table
    }

    @discardableResult
    func record(userID: String, serviceProvider: String, _ change: @escaping @Sendable (ConsentReceipt?) -> ConsentReceipt)
        async throws(StorageError) -> ConsentReceipt
    {
        do {
            return try await table.upsert(column: "user_sp", equals: "\(userID)/\(serviceProvider)") { old in
                try change(old).checked(userID: userID, serviceProvider: serviceProvider)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.storageUnavailable, detail: "consents: \(error)")
        }
    }

    func find(userID: String, serviceProvider: String) async throws(StorageError) -> ConsentReceipt? {
        try await table.fetch(column: "user_sp", equals: "\(userID)/\(serviceProvider)")
    }

    func list(userID: String) async throws(StorageError) -> [ConsentReceipt] {
        try await table.all(column: "user_id", equals: userID, orderBy: "user_sp")
    }

    func all() async throws(StorageError) -> [ConsentReceipt] { try await table.all(orderBy: "user_sp") }
    func delete(id: String) async throws(StorageError) { try await table.delete(id) }
    @discardableResult func deleteAll(userID: String) async throws(StorageError) -> Int {
        try await table.deleteAll(column: "user_id", equals: userID)
    }
    @discardableResult func deleteAll(serviceProvider: String) async throws(StorageError) -> Int {
        // user_sp is "<user id>/<SP name>"; user ids hold no "/".
        try await table.deleteAll(where: "user_sp = user_id || '/' || ?", [serviceProvider])
    }
}
