import IdentityStorage
import Logging
import PostgresNIO
import Synchronization

/// Record stores on PostgreSQL: one table per record type, laid out as its `RecordLayout`
/// says, created (if missing) when the type is first used.
final class PostgresRecordBackend: RecordBackend {
    private let client: PostgresClient
    private let logger: Logger
    private let stores = Mutex<[ObjectIdentifier: any Sendable]>([:])
    /// Tables known to exist.
    private let created = Mutex<Set<String>>([])

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func store<Record: StoredRecord>(_ type: Record.Type) -> any RecordStore<Record> {
        stores.withLock { stores in
            if let store = stores[ObjectIdentifier(type)] as? DocumentRecordStore<Record> { return store }
            let layout = Record.layout
            var table = PostgresTable(layout, client: client, logger: logger)
            table.prepare = { [self] in try await createIfMissing(layout) }
            let store = DocumentRecordStore<Record>(table: table)
            stores[ObjectIdentifier(type)] = store
            return store
        }
    }

    private func createIfMissing<Record>(_ layout: RecordLayout<Record>) async throws(StorageError) {
        if created.withLock({ $0.contains(layout.table) }) { return }
        let columns = ["\(layout.primary.name) text PRIMARY KEY"]
            + layout.unique.map { "\($0.name) text UNIQUE" }
            + layout.indexed.map { "\($0.name) text" }
            + ["data bytea NOT NULL"]
        // `IF NOT EXISTS` is not safe against itself: instances starting together that
        // create one table at the same moment meet the catalogue's unique index (23505 on
        // pg_type), as three did in the benchmark. The migrations' advisory lock, held to
        // the end of this transaction, makes them take turns.
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))"), logger: logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(layout.table) (\(columns.joined(separator: ", ")))"), logger: logger)
                for column in layout.indexed {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "CREATE INDEX IF NOT EXISTS \(layout.table)_\(column.name) ON \(layout.table) (\(column.name))"),
                        logger: logger)
                }
            }
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(layout.table): \(String(reflecting: error))")
        }
        created.withLock { _ = $0.insert(layout.table) }
    }
}
