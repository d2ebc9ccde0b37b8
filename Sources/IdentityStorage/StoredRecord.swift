/// A record type a protocol module keeps in the server's storage without the storage
/// modules knowing it (the OIDC module's codes and tokens): the record describes its
/// table, and every backend stores any such record with the same guarantees as its own
/// aggregates — unique keys enforced, compare-and-swap updates.
public protocol StoredRecord: Codable, Sendable {
    static var layout: RecordLayout<Self> { get }
}

/// Where and by what a record type is kept.
public struct RecordLayout<Record>: Sendable {
    /// The table name (lower-case, underscores); a backend creates it when first used.
    public let table: String
    /// What one record is, for errors (`authorization code`).
    public let what: String
    public let primary: RecordColumn<Record>
    /// Columns no two records may share (nil values are not compared).
    public let unique: [RecordColumn<Record>]
    /// Columns kept for lookups of several records (a token's grant).
    public let indexed: [RecordColumn<Record>]

    public init(
        table: String, what: String, primary: RecordColumn<Record>, unique: [RecordColumn<Record>] = [],
        indexed: [RecordColumn<Record>] = []
    ) {
        self.table = table
        self.what = what
        self.primary = primary
        self.unique = unique
        self.indexed = indexed
    }

    public var columns: [RecordColumn<Record>] { [primary] + unique + indexed }

    /// The declared column named `name`; a name the layout does not declare is a
    /// programming error.
    public func column(_ name: String) -> RecordColumn<Record> {
        guard let column = columns.first(where: { $0.name == name }) else {
            preconditionFailure("\(table) declares no column \(name)")
        }
        return column
    }
}

/// One key column: its SQL name, the field name a `storage.already_exists` reports, and
/// how to read it from a record.
public struct RecordColumn<Record>: Sendable {
    public let name: String
    public let field: String
    public let read: @Sendable (Record) -> String?

    public init(name: String, field: String, read: @escaping @Sendable (Record) -> String?) {
        self.name = name
        self.field = field
        self.read = read
    }
}

/// The records of one type in one backend.
public protocol RecordStore<Record>: Sendable {
    associatedtype Record: StoredRecord
    /// Throws `storage.already_exists` if the primary or a unique key is taken.
    func create(_ record: Record) async throws(StorageError)
    func get(_ key: String) async throws(StorageError) -> Record?
    /// The record whose (unique) `column` equals `value`.
    func find(_ column: String, equals value: String) async throws(StorageError) -> Record?
    func all() async throws(StorageError) -> [Record]
    /// Every record whose (indexed) `column` equals `value`, in primary-key order.
    func all(_ column: String, equals value: String) async throws(StorageError) -> [Record]
    /// Compare-and-swap: `change` sees the stored record; throws `storage.not_found`.
    @discardableResult
    func update(_ key: String, _ change: @escaping @Sendable (Record) throws -> Record) async throws -> Record
    /// Applies `change` to every record whose (indexed) `column` equals `value` and that
    /// `predicate` accepts, in one transaction; returns how many changed.
    @discardableResult
    func updateAll(
        _ column: String, equals value: String, where predicate: @escaping @Sendable (Record) -> Bool,
        _ change: @escaping @Sendable (Record) -> Record
    ) async throws(StorageError) -> Int
    /// Creates or replaces by primary key (unique keys still hold).
    func upsert(_ record: Record) async throws(StorageError)
    /// Throws `storage.not_found`.
    func delete(_ key: String) async throws(StorageError)
}

/// A backend's source of record stores, one per record type.
public protocol RecordBackend: Sendable {
    func store<Record: StoredRecord>(_ type: Record.Type) -> any RecordStore<Record>
}
