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
            if let store = stores[ObjectIdentifier(type)] as? SQLiteRecordStore<Record> { return store }
            let store = SQLiteRecordStore<Record>(writer: writer)
            // Kept only once its table exists: a failure here surfaces as
            // storage.unavailable on use, and the next request for the store tries again.
            guard (try? store.createTableIfMissing()) != nil else { return store }
            stores[ObjectIdentifier(type)] = store
            return store
        }
    }
}

struct SQLiteRecordStore<Record: StoredRecord>: RecordStore {
    let table: SQLiteTable<Record>

    init(writer: any DatabaseWriter) {
        let layout = Record.layout
        var table = SQLiteTable<Record>(
            writer: writer, table: layout.table, what: layout.what, primary: layout.primary, uniques: layout.unique)
        table.indexed = layout.indexed
        self.table = table
    }

    func createTableIfMissing() throws {
        let layout = Record.layout
        try table.writer.write { db in
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

    func create(_ record: Record) async throws(StorageError) { try await table.insert(record) }
    func get(_ key: String) async throws(StorageError) -> Record? { try await table.get(key) }
    func find(_ column: String, equals value: String) async throws(StorageError) -> Record? {
        try await table.fetch(column: Record.layout.column(column).name, equals: value)
    }
    func all() async throws(StorageError) -> [Record] { try await table.all(orderBy: Record.layout.primary.name) }
    func update(_ key: String, _ change: @escaping @Sendable (Record) throws -> Record) async throws -> Record {
        try await table.update(key, change)
    }
    func updateAll(
        _ column: String, equals value: String, where predicate: @escaping @Sendable (Record) -> Bool,
        _ change: @escaping @Sendable (Record) -> Record
    ) async throws(StorageError) -> Int {
        try await table.updateAll(column: Record.layout.column(column).name, equals: value, where: predicate, change)
    }
    func upsert(_ record: Record) async throws(StorageError) { try await table.upsert(record) }
    func delete(_ key: String) async throws(StorageError) { try await table.delete(key) }
}
