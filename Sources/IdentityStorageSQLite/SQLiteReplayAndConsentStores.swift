import Foundation
import GRDB
import IdentityCore
import IdentityStorage

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
