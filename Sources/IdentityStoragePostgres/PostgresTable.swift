import Foundation
import IdentityCore
import IdentityStorage
import Logging
import PostgresNIO

/// One aggregate's table on PostgreSQL, laid out as SQLite's (key columns as `text`, the
/// record's JSON as `bytea`), so the shared stores run on it unchanged.
///
/// Every change is one transaction. A compare-and-swap update locks its row first
/// (`SELECT … FOR UPDATE`), so two instances changing one record take turns and the second
/// sees the first's result; uniqueness is checked first for a clear error naming the field,
/// and enforced by the database's own constraints, whose violation (two instances inserting
/// the same key at once) is reported the same way.
struct PostgresTable<Value: Codable & Sendable>: DocumentTable {
    typealias Column = RecordColumn<Value>

    /// A side table of several unique values per row (a service provider's lookup keys).
    struct Lookups: Sendable {
        let table: String
        let read: @Sendable (Value) -> [ServiceProviderLookup]
    }

    let client: PostgresClient
    let table: String
    let what: String
    let primary: Column
    var uniques: [Column] = []
    var indexed: [Column] = []
    var lookups: Lookups?
    var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    var logger = Logger(label: "identity-storage-postgres")
    /// Run before each operation: a record type's table is created when first used.
    var prepare: (@Sendable () async throws -> Void)?

    private var columns: [Column] { [primary] + uniques + indexed }

    // MARK: reads

    func get(_ key: String) async throws(StorageError) -> Value? {
        try await fetch(column: primary.name, equals: key)
    }

    func fetch(column: String, equals key: String) async throws(StorageError) -> Value? {
        try await rows("SELECT data FROM \(table) WHERE \(column) = $1", [key]).first
    }

    func fetch(_ lookup: ServiceProviderLookup) async throws(StorageError) -> Value? {
        guard let lookups else { return nil }
        return try await rows(
            "SELECT t.data FROM \(table) t JOIN \(lookups.table) l ON l.owner = t.\(primary.name) WHERE l.field = $1 AND l.value = $2",
            [lookup.field, lookup.value]
        ).first
    }

    func all(orderBy column: String) async throws(StorageError) -> [Value] {
        try await rows("SELECT data FROM \(table) ORDER BY \(column)", [])
    }

    func all(column: String, equals key: String, orderBy: String) async throws(StorageError) -> [Value] {
        try await rows("SELECT data FROM \(table) WHERE \(column) = $1 ORDER BY \(orderBy)", [key])
    }

    func all(jsonContaining text: String) async throws(StorageError) -> [Value] {
        try await guarded {
            var binds = PostgresBindings()
            try binds.append(Data(text.utf8))
            return try await decodeAll(client.query(PostgresQuery(unsafeSQL: "SELECT data FROM \(table) WHERE position($1 in data) > 0", binds: binds)))
        }
    }

    func count() async throws(StorageError) -> Int {
        try await guarded {
            var total = 0
            for try await count in try await client.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)")).decode(Int.self) { total = count }
            return total
        }
    }

    // MARK: writes

    func insert(_ value: Value) async throws(StorageError) {
        try await transaction { connection in
            try await checkUnique(value, connection, ignoring: nil)
            try await write(value, connection)
        }
    }

    func update(_ key: String, _ change: @escaping @Sendable (Value) throws -> Value) async throws -> Value {
        try await transactionRethrowing { connection in
            guard let old = try await locked(column: primary.name, equals: key, connection) else { throw StorageError.notFound(what, key) }
            let new = try change(old)
            try await checkUnique(new, connection, ignoring: key)
            try await replace(key, with: new, connection)
            return new
        }
    }

    func upsert(_ value: Value) async throws(StorageError) {
        let key = primary.read(value) ?? ""
        do {
            try await retryingRacedCreation {
                try await transactionRethrowing { connection in
                    let old = try await locked(column: primary.name, equals: key, connection)
                    try await checkUnique(value, connection, ignoring: key)
                    if old != nil { try await replace(key, with: value, connection) } else { try await write(value, connection) }
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    func upsert(column: String, equals key: String, _ change: @escaping @Sendable (Value?) throws -> Value) async throws -> Value {
        try await retryingRacedCreation {
            try await transactionRethrowing { connection in
                let old = try await locked(column: column, equals: key, connection)
                let new = try change(old)
                let oldKey = old.flatMap(primary.read)
                try await checkUnique(new, connection, ignoring: oldKey)
                if let oldKey { try await replace(oldKey, with: new, connection) } else { try await write(new, connection) }
                return new
            }
        }
    }

    /// An upsert that finds no row locks nothing with `FOR UPDATE`: instances creating the
    /// same row at once all insert, and all but one meet the unique constraint. Those try
    /// again, and then find and lock the row the winner made, so each change is applied to
    /// it in turn (one consent receipt, however many instances answered at once).
    private func retryingRacedCreation<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch let error as StorageError where error.code == .storageAlreadyExists && attempt < 5 {
                continue
            }
        }
    }

    func updateAll(
        column: String, equals key: String, where predicate: @escaping @Sendable (Value) -> Bool, _ change: @escaping @Sendable (Value) -> Value
    ) async throws(StorageError) -> Int {
        try await transaction { connection in
            var changed = 0
            let values = try await decodeAll(connection.query(query("SELECT data FROM \(table) WHERE \(column) = $1 ORDER BY \(primary.name) FOR UPDATE", [key]), logger: logger))
            for value in values where predicate(value) {
                try await replace(primary.read(value) ?? "", with: change(value), connection)
                changed += 1
            }
            return changed
        }
    }

    @discardableResult
    func deleteAll(column: String, equals key: String) async throws(StorageError) -> Int {
        try await deleteAll(sql: "\(column) = $1", [key])
    }

    @discardableResult
    func deleteAll(column: String, prefix: String) async throws(StorageError) -> Int {
        try await deleteAll(sql: "starts_with(\(column), $1)", [prefix])
    }

    @discardableResult
    func deleteAll(where predicate: @escaping @Sendable (Value) -> Bool) async throws(StorageError) -> Int {
        try await transaction { connection in
            var removed = 0
            for value in try await decodeAll(connection.query(query("SELECT data FROM \(table) ORDER BY \(primary.name) FOR UPDATE", []), logger: logger)) where predicate(value) {
                if try await remove(primary.read(value) ?? "", connection) { removed += 1 }
            }
            return removed
        }
    }

    func delete(_ key: String) async throws(StorageError) {
        try await transaction { connection in
            if try await !remove(key, connection) { throw StorageError.notFound(what, key) }
        }
    }

    private func deleteAll(sql condition: String, _ arguments: [String]) async throws(StorageError) -> Int {
        try await transaction { connection in
            let removed = try await affected(connection.query(query("DELETE FROM \(table) WHERE \(condition) RETURNING 1", arguments), logger: logger))
            if let lookups {
                try await connection.query(
                    query("DELETE FROM \(lookups.table) WHERE owner NOT IN (SELECT \(primary.name) FROM \(table))", []), logger: logger)
            }
            return removed
        }
    }

    // MARK: inside a transaction

    private func write(_ value: Value, _ connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        for column in columns { binds.append(column.read(value)) }
        try binds.append(try Self.encoder.encode(value))
        let names = columns.map(\.name) + ["data"]
        let placeholders = (1...names.count).map { "$\($0)" }.joined(separator: ", ")
        try await connection.query(
            PostgresQuery(unsafeSQL: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders))", binds: binds), logger: logger)
        if let lookups, let owner = primary.read(value) { try await writeLookups(of: value, owner: owner, lookups, connection) }
    }

    /// Changes the row with primary key `key` in place. An UPDATE, not a delete and an
    /// insert: another transaction waiting on the row's lock (`FOR UPDATE`) then reads the
    /// new version once this one commits, where after a delete it would find no row at all.
    /// A changed primary key (a rename) does move the row.
    private func replace(_ key: String, with value: Value, _ connection: PostgresConnection) async throws {
        guard primary.read(value) == key else {
            try await remove(key, connection)
            try await write(value, connection)
            return
        }
        var binds = PostgresBindings()
        let changed = uniques + indexed
        for column in changed { binds.append(column.read(value)) }
        try binds.append(try Self.encoder.encode(value))
        try binds.append(key)
        let assignments = (changed.map(\.name) + ["data"]).enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
        try await connection.query(
            PostgresQuery(unsafeSQL: "UPDATE \(table) SET \(assignments) WHERE \(primary.name) = $\(changed.count + 2)", binds: binds), logger: logger)
        guard let lookups else { return }
        try await connection.query(query("DELETE FROM \(lookups.table) WHERE owner = $1", [key]), logger: logger)
        try await writeLookups(of: value, owner: key, lookups, connection)
    }

    /// A value a record names twice is one row (and one claim on the value).
    private func writeLookups(of value: Value, owner: String, _ lookups: Lookups, _ connection: PostgresConnection) async throws {
        for lookup in Set(lookups.read(value)) {
            try await connection.query(
                query("INSERT INTO \(lookups.table) (field, value, owner) VALUES ($1, $2, $3)", [lookup.field, lookup.value, owner]), logger: logger)
        }
    }

    /// Deletes the row with primary key `key` and its lookups; whether there was one.
    @discardableResult
    private func remove(_ key: String, _ connection: PostgresConnection) async throws -> Bool {
        let removed = try await affected(connection.query(query("DELETE FROM \(table) WHERE \(primary.name) = $1 RETURNING 1", [key]), logger: logger))
        if let lookups { try await connection.query(query("DELETE FROM \(lookups.table) WHERE owner = $1", [key]), logger: logger) }
        return removed > 0
    }

    private func locked(column: String, equals key: String, _ connection: PostgresConnection) async throws -> Value? {
        try await decodeAll(connection.query(query("SELECT data FROM \(table) WHERE \(column) = $1 FOR UPDATE", [key]), logger: logger)).first
    }

    private func checkUnique(_ value: Value, _ connection: PostgresConnection, ignoring: String?) async throws {
        for column in [primary] + uniques {
            guard let candidate = column.read(value) else { continue }
            for try await holder in try await connection.query(
                query("SELECT \(primary.name) FROM \(table) WHERE \(column.name) = $1", [candidate]), logger: logger
            ).decode(String.self) where holder != ignoring {
                throw StorageError.alreadyExists(what, field: column.field, candidate)
            }
        }
        guard let lookups else { return }
        for lookup in lookups.read(value) {
            for try await holder in try await connection.query(
                query("SELECT owner FROM \(lookups.table) WHERE field = $1 AND value = $2", [lookup.field, lookup.value]), logger: logger
            ).decode(String.self) where holder != ignoring {
                throw StorageError.alreadyExists(what, field: lookup.field, lookup.value)
            }
        }
    }

    // MARK: plumbing

    private func query(_ sql: String, _ arguments: [String]) -> PostgresQuery {
        var binds = PostgresBindings()
        for argument in arguments { binds.append(argument) }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    private func rows(_ sql: String, _ arguments: [String]) async throws(StorageError) -> [Value] {
        try await guarded { try await decodeAll(client.query(query(sql, arguments), logger: logger)) }
    }

    private func decodeAll(_ rows: PostgresRowSequence) async throws -> [Value] {
        let decoder = JSONDecoder()
        decoder.userInfo = userInfo
        var values = [Value]()
        for try await data in rows.decode(Data.self) { values.append(try decoder.decode(Value.self, from: data)) }
        return values
    }

    private func affected(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StorageError) -> T {
        try await guarded { try await transactionRethrowing(body) }
    }

    /// A transaction whose body's own errors (a store's refusal inside `change`) pass
    /// through as thrown, not wrapped in postgres-nio's transaction error.
    ///
    /// A transaction PostgreSQL chose as a deadlock's victim (40P01) or could not
    /// serialise (40001) changed nothing: it runs again, a few times, as PostgreSQL's
    /// documentation asks of applications. Rows several at a time are locked in key order
    /// (`ORDER BY` before `FOR UPDATE`), which keeps two such transactions from deadlocking
    /// each other in the first place; the retry is for what that cannot order.
    private func transactionRethrowing<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            let database: PSQLError
            do {
                try await prepare?()
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
                guard let failed = cause as? PSQLError else { throw cause }
                database = failed
            } catch let error as PSQLError {
                database = error
            }
            guard Self.isWorthRetrying(database), attempt < Self.attempts else { throw mapped(database) }
            attempt += 1
        }
    }

    static var attempts: Int { 4 }

    static func isWorthRetrying(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    private func guarded<T>(_ body: () async throws -> T) async throws(StorageError) -> T {
        do {
            try await prepare?()
            return try await body()
        } catch let error as StorageError {
            throw error
        } catch let error as PSQLError {
            throw mapped(error)
        } catch {
            throw StorageError(.storageUnavailable, detail: "\(table): \(error)")
        }
    }

    /// A unique constraint the database enforced itself (a race the check above could not
    /// see) reads as the check's own error; anything else is the database being unavailable.
    private func mapped(_ error: PSQLError) -> StorageError {
        if error.serverInfo?[.sqlState] == "23505" {
            let constraint = error.serverInfo?[.constraintName] ?? ""
            let column = ([primary] + uniques).first { constraint.contains($0.name) } ?? primary
            return StorageError(.storageAlreadyExists, field: column.field, detail: "a \(what) with this \(column.field) already exists")
        }
        return StorageError(.storageUnavailable, detail: "\(table): \(String(reflecting: error))")
    }
}

extension PostgresTable {
    /// The table `layout` describes.
    init(_ layout: RecordLayout<Value>, client: PostgresClient, logger: Logger) {
        self.init(client: client, table: layout.table, what: layout.what, primary: layout.primary, uniques: layout.unique, indexed: layout.indexed, logger: logger)
    }
}
