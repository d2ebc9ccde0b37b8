import Foundation
import GRDB
import IdentityCore
import IdentityStorage

/// One aggregate's table: a primary key column, unique key columns and the JSON record.
/// All stores are this one piece with different columns, so they enforce uniqueness and
/// compare-and-swap the same way.
struct SQLiteTable<Value: Codable & Sendable>: DocumentTable {
    typealias Column = RecordColumn<Value>

    /// A side table of several unique values per row (a service provider's lookup keys):
    /// `(field, value)` is its primary key, `owner` the row's primary key.
    struct Lookups: Sendable {
        let table: String
        let read: @Sendable (Value) -> [ServiceProviderLookup]
    }

    let writer: any DatabaseWriter
    let table: String
    let what: String
    let primary: Column
    let uniques: [Column]
    /// Columns kept for lookups that are not unique (a token's grant and client).
    var indexed: [Column] = []
    var lookups: Lookups?
    /// Handed to the JSON decoder (the protocol sections a provider record may carry).
    var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    /// Crash tests only: runs inside an insert's transaction before it commits.
    var beforeInsertCommits: (@Sendable () -> Void)?
    /// Records decoded from the very same JSON bytes before (see `DecodedRecords`).
    let decoded = DecodedRecords<Value>()

    private var columns: [Column] { [primary] + uniques + indexed }

    func insert(_ value: Value) async throws(StorageError) {
        let hook = beforeInsertCommits
        try run { db in
            try checkUnique(value, db: db, ignoring: nil)
            try write(value, db: db)
            hook?()
        }
    }

    func get(_ key: String) async throws(StorageError) -> Value? {
        try read { db in try fetch(column: primary.name, equals: key, db: db) }
    }

    func fetch(column: String, equals key: String) async throws(StorageError) -> Value? {
        try read { db in try fetch(column: column, equals: key, db: db) }
    }

    /// The row one of whose lookup values is `lookup`.
    func fetch(_ lookup: ServiceProviderLookup) async throws(StorageError) -> Value? {
        guard let lookups else { return nil }
        return try read { db in
            try Data.fetchOne(
                db.cachedStatement(
                    sql: "SELECT t.data FROM \(table) t JOIN \(lookups.table) l ON l.owner = t.\(primary.name) WHERE l.field = ? AND l.value = ?"),
                arguments: [lookup.field, lookup.value]
            ).map(decode)
        }
    }

    func all(orderBy: String) async throws(StorageError) -> [Value] {
        try read { db in
            try Data.fetchAll(db.cachedStatement(sql: "SELECT data FROM \(table) ORDER BY \(orderBy)")).map(decode)
        }
    }

    func count() async throws(StorageError) -> Int {
        try read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM \(table)")) ?? 0 }
    }

    func update(_ key: String, _ change: @escaping @Sendable (Value) throws -> Value) async throws -> Value {
        do {
            return try writeNow { db in
                guard let old = try fetch(column: primary.name, equals: key, db: db) else {
                    throw StorageError.notFound(what, key)
                }
                let new = try change(old)
                try checkUnique(new, db: db, ignoring: key)
                try remove(key, db: db)
                try write(new, db: db)
                return new
            }
        } catch let error as DatabaseError {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// Inserts or replaces by primary key (unique keys still hold).
    func upsert(_ value: Value) async throws(StorageError) {
        let key = primary.read(value) ?? ""
        try run { db in
            try checkUnique(value, db: db, ignoring: key)
            try remove(key, db: db)
            try write(value, db: db)
        }
    }

    /// Creates or changes the row whose `column` equals `key`, in one transaction:
    /// `change` gets that row (nil if none) and returns its replacement.
    func upsert(column: String, equals key: String, _ change: @escaping @Sendable (Value?) throws -> Value) async throws -> Value {
        do {
            return try writeNow { db in
                let old = try fetch(column: column, equals: key, db: db)
                let new = try change(old)
                let oldKey = old.flatMap(primary.read)
                try checkUnique(new, db: db, ignoring: oldKey)
                if let oldKey { try remove(oldKey, db: db) }
                try write(new, db: db)
                return new
            }
        } catch let error as DatabaseError {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// Removes every row whose `column` equals `key`; returns how many.
    @discardableResult
    func deleteAll(column: String, equals key: String) async throws(StorageError) -> Int {
        try await deleteAll(sql: "\(column) = ?", [key])
    }

    @discardableResult
    func deleteAll(column: String, prefix: String) async throws(StorageError) -> Int {
        try await deleteAll(sql: "substr(\(column), 1, length(?)) = ?", [prefix, prefix])
    }

    @discardableResult
    func deleteAll(where predicate: @escaping @Sendable (Value) -> Bool) async throws(StorageError) -> Int {
        do {
            return try writeNow { db in
                var removed = 0
                for value in try Data.fetchAll(db, sql: "SELECT data FROM \(table)").map(decode) where predicate(value) {
                    if try remove(primary.read(value) ?? "", db: db) { removed += 1 }
                }
                return removed
            }
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// Removes every row matching an SQL condition (written by this module, never from
    /// input: values go in `arguments`); returns how many.
    @discardableResult
    private func deleteAll(sql condition: String, _ arguments: [String]) async throws(StorageError) -> Int {
        do {
            return try writeNow { db in
                try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: StatementArguments(arguments))
                let removed = db.changesCount
                if let lookups {
                    try db.execute(sql: "DELETE FROM \(lookups.table) WHERE owner NOT IN (SELECT \(primary.name) FROM \(table))")
                }
                return removed
            }
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    func all(jsonContaining text: String) async throws(StorageError) -> [Value] {
        try read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM \(table) WHERE instr(CAST(data AS TEXT), ?) > 0", arguments: [text]).map(decode)
        }
    }

    /// Every row whose `column` equals `key` (an indexed lookup), ordered.
    func all(column: String, equals key: String, orderBy: String) async throws(StorageError) -> [Value] {
        try read { db in
            try Data.fetchAll(db.cachedStatement(sql: "SELECT data FROM \(table) WHERE \(column) = ? ORDER BY \(orderBy)"), arguments: [key]).map(decode)
        }
    }

    /// Applies `change` to every row whose `column` equals `key` and that `predicate`
    /// accepts, in one transaction; returns how many rows changed.
    func updateAll(
        column: String, equals key: String, where predicate: @escaping @Sendable (Value) -> Bool,
        _ change: @escaping @Sendable (Value) -> Value
    ) async throws(StorageError) -> Int {
        do {
            return try writeNow { db in
                let values = try Data.fetchAll(db, sql: "SELECT data FROM \(table) WHERE \(column) = ?", arguments: [key]).map(decode)
                var changed = 0
                for value in values where predicate(value) {
                    let new = change(value)
                    try remove(primary.read(value) ?? "", db: db)
                    try write(new, db: db)
                    changed += 1
                }
                return changed
            }
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    func delete(_ key: String) async throws(StorageError) {
        try run { db in
            if try !remove(key, db: db) { throw StorageError.notFound(what, key) }
        }
    }

    // MARK: inside a transaction

    private func write(_ value: Value, db: Database) throws {
        let names = columns.map(\.name) + ["data"]
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        var arguments = StatementArguments()
        for column in columns { _ = arguments.append(contentsOf: [column.read(value)]) }
        _ = arguments.append(contentsOf: [try Self.encoder.encode(value)])
        try db.cachedStatement(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: arguments)
        if let lookups, let owner = primary.read(value) {
            // A value a record names twice is one row (and one claim on the value).
            for lookup in Set(lookups.read(value)) {
                try db.cachedStatement(sql: "INSERT INTO \(lookups.table) (field, value, owner) VALUES (?, ?, ?)")
                    .execute(arguments: [lookup.field, lookup.value, owner])
            }
        }
    }

    /// Deletes the row with primary key `key` and its lookups; whether there was one.
    @discardableResult
    private func remove(_ key: String, db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(primary.name) = ?").execute(arguments: [key])
        let removed = db.changesCount > 0
        if let lookups { try db.cachedStatement(sql: "DELETE FROM \(lookups.table) WHERE owner = ?").execute(arguments: [key]) }
        return removed
    }

    private func checkUnique(_ value: Value, db: Database, ignoring: String?) throws {
        for column in [primary] + uniques {
            guard let candidate = column.read(value) else { continue }
            let holder = try String.fetchOne(
                db.cachedStatement(sql: "SELECT \(primary.name) FROM \(table) WHERE \(column.name) = ?"), arguments: [candidate])
            if let holder, holder != ignoring {
                throw StorageError.alreadyExists(what, field: column.field, candidate)
            }
        }
        guard let lookups else { return }
        for lookup in lookups.read(value) {
            let holder = try String.fetchOne(
                db.cachedStatement(sql: "SELECT owner FROM \(lookups.table) WHERE field = ? AND value = ?"), arguments: [lookup.field, lookup.value])
            if let holder, holder != ignoring {
                throw StorageError.alreadyExists(what, field: lookup.field, lookup.value)
            }
        }
    }

    private func fetch(column: String, equals key: String, db: Database) throws -> Value? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM \(table) WHERE \(column) = ?"), arguments: [key]).map(decode)
    }

    private func decode(_ data: Data) throws -> Value {
        if let known = decoded.value(for: data) { return known }
        let decoder = JSONDecoder()
        decoder.userInfo = userInfo
        let value = try decoder.decode(Value.self, from: data)
        decoded.remember(value, for: data)
        return value
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    // MARK: error mapping

    private func run(_ body: (Database) throws -> Void) throws(StorageError) {
        do {
            try writeNow(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// Every read here is one SELECT, which SQLite runs on one consistent snapshot by
    /// itself, so it needs no BEGIN/COMMIT of its own (GRDB's `read` adds both).
    private func read<T>(_ body: (Database) throws -> T) throws(StorageError) -> T {
        do {
            return try writer.unsafeReentrantRead(body)
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// A write transaction run on the calling thread, not awaited on GRDB's queue.
    ///
    /// Every statement here is a local SQLite call of tens of microseconds, and nothing in
    /// a transaction awaits, so blocking the caller for it costs less than the two thread
    /// hand-offs an async `write`/`read` makes (under SSO load, futex wake-ups and task
    /// switches were several percent of the server's samples, with a GRDB queue hop for
    /// each of ~18 statements per login). GRDB's synchronous APIs still serialise writers
    /// and give each reader its own connection, so transactions and compare-and-swap
    /// updates are exactly as before.
    private func writeNow<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.write(body)
    }
}
