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
