import Synchronization

/// In-memory record stores, one table per record type, made when first asked for.
public final class InMemoryRecordBackend: RecordBackend {
    private let stores = Mutex<[ObjectIdentifier: any Sendable]>([:])

    public init() {}

    public func store<Record: StoredRecord>(_ type: Record.Type) -> any RecordStore<Record> {
        stores.withLock { stores in
            if let store = stores[ObjectIdentifier(type)] as? InMemoryRecordStore<Record> { return store }
            let store = InMemoryRecordStore<Record>()
            stores[ObjectIdentifier(type)] = store
            return store
        }
    }
}

final class InMemoryRecordStore<Record: StoredRecord>: RecordStore {
    private let layout = Record.layout
    private let table: InMemoryTable<Record>

    init() {
        let layout = Record.layout
        let primary = layout.primary.read
        table = InMemoryTable(
            what: layout.what, primaryField: layout.primary.field, primary: { primary($0) ?? "" },
            uniqueKeys: layout.unique.map { .init(field: $0.field, read: $0.read) })
    }

    func create(_ record: Record) throws(StorageError) { try table.insert(record) }
    func get(_ key: String) -> Record? { table.get(key) }

    func find(_ column: String, equals value: String) -> Record? {
        let read = layout.column(column).read
        return table.first { read($0) == value }
    }

    func all() -> [Record] { table.all() }

    func all(_ column: String, equals value: String) -> [Record] {
        let read = layout.column(column).read
        let primary = layout.primary.read
        // In primary-key order, as the SQL backends answer (the table's own order is not).
        return table.all().filter { read($0) == value }.sorted { (primary($0) ?? "") < (primary($1) ?? "") }
    }

    func update(_ key: String, _ change: @escaping @Sendable (Record) throws -> Record) throws -> Record {
        try table.update(key, change)
    }

    func updateAll(
        _ column: String, equals value: String, where predicate: @escaping @Sendable (Record) -> Bool,
        _ change: @escaping @Sendable (Record) -> Record
    ) -> Int {
        let read = layout.column(column).read
        return table.updateAll(where: { read($0) == value && predicate($0) }, change)
    }

    func upsert(_ record: Record) throws(StorageError) { try table.upsert(record) }
    func delete(_ key: String) throws(StorageError) { try table.delete(key) }
}
