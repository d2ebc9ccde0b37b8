import Foundation
import GRDB
import IdentityStorage
import Synchronization

/// Record stores on SQLite: one table per record type, laid out as the record's
/// `RecordLayout` says (key columns + the record as JSON), created when the type is first
/// asked for. Tables that shipped migrations already made (the OIDC ones) are found and
/// used as they are.
final class SQLiteRecordBackend: RecordBackend {
    private let writer: any DatabaseWriter
    private let stores = Mutex<[ObjectIdentifier: any Sendable]>([:])

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    func store<Record: StoredRecord>(_ type: Record.Type) -> any RecordStore<Record> {
        stores.withLock { stores in
            if let store = stores[ObjectIdentifier(type)] as? DocumentRecordStore<Record> { return store }
            let table = SQLiteTable<Record>(records: writer)
            let store = DocumentRecordStore<Record>(table: table)
            // Kept only once its table exists: a failure here surfaces as
            // storage.unavailable on use, and the next request for the store tries again.
            guard (try? table.createTableIfMissing()) != nil else { return store }
            stores[ObjectIdentifier(type)] = store
            return store
        }
    }
}

extension SQLiteTable where Value: StoredRecord {
    /// The table for a record type, as its layout says.
    init(records writer: any DatabaseWriter) {
        self.init(Value.layout, writer: writer)
    }

    func createTableIfMissing() throws {
        let layout = Value.layout
        try writer.write { db in
            guard try !db.tableExists(layout.table) else { return }
            let columns = ["\(layout.primary.name) TEXT PRIMARY KEY NOT NULL"]
                + layout.unique.map { "\($0.name) TEXT UNIQUE" }
                + layout.indexed.map { "\($0.name) TEXT" }
                + ["data BLOB NOT NULL"]
            try db.execute(sql: "CREATE TABLE \(layout.table) (\(columns.joined(separator: ", ")))")
            for column in layout.indexed {
                try db.execute(sql: "CREATE INDEX \(layout.table)_\(column.name) ON \(layout.table) (\(column.name))")
            }
        }
    }
}
