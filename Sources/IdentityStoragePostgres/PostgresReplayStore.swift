import Foundation
import IdentityStorage
import Logging
import PostgresNIO

/// One-time values on PostgreSQL: a claim is one `INSERT … ON CONFLICT`, so two instances
/// claiming the same value at once get one `true` between them; an expired entry is
/// replaced in the same statement.
struct PostgresReplayStore: ReplayStore {
    let client: PostgresClient
    let logger: Logger

    func claim(_ key: String, until expiresAt: Date, now: Date) async throws(StorageError) -> Bool {
        do {
            let rows = try await client.query(
                """
                INSERT INTO replays (key, expires_at) VALUES (\(key), \(expiresAt.timeIntervalSince1970))
                ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE replays.expires_at <= \(now.timeIntervalSince1970)
                RETURNING 1
                """, logger: logger)
            var claimed = false
            for try await _ in rows { claimed = true }
            return claimed
        } catch {
            throw StorageError(.storageUnavailable, detail: "replays: \(String(reflecting: error))")
        }
    }
}
