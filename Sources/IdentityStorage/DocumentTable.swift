public import IdentityCore

/// One aggregate's table in an SQL backend: a primary key column, unique and indexed key
/// columns, and the record itself as JSON. The stores are written once against this
/// (``DocumentStores``); each SQL backend supplies the table, which is where its dialect,
/// its transactions and its uniqueness checks live.
///
/// Column names are the tables' own (`user_key`, `federation`, `user_id`…): every backend
/// lays its tables out alike.
public protocol DocumentTable<Value>: Sendable {
    associatedtype Value: Codable & Sendable

    /// Throws `storage.already_exists` (naming the field) if a unique key is taken.
    func insert(_ value: Value) async throws(StorageError)
    func get(_ key: String) async throws(StorageError) -> Value?
    /// The row whose (unique) `column` equals `key`.
    func fetch(column: String, equals key: String) async throws(StorageError) -> Value?
    /// The row one of whose lookup values (a side table of several unique values per row)
    /// is `lookup`; nil for a table without lookups.
    func fetch(_ lookup: ServiceProviderLookup) async throws(StorageError) -> Value?
    func all(orderBy column: String) async throws(StorageError) -> [Value]
    /// Every row whose `column` equals `key` (an indexed lookup), ordered.
    func all(column: String, equals key: String, orderBy: String) async throws(StorageError) -> [Value]
    /// Every row whose JSON text contains `text`: a narrowing the caller finishes by
    /// reading the field it means.
    func all(jsonContaining text: String) async throws(StorageError) -> [Value]
    func count() async throws(StorageError) -> Int
    /// Compare-and-swap: `change` sees the stored row; throws `storage.not_found`.
    func update(_ key: String, _ change: @escaping @Sendable (Value) throws -> Value) async throws -> Value
    /// Creates or replaces by primary key (unique keys still hold).
    func upsert(_ value: Value) async throws(StorageError)
    /// Creates or changes the row whose `column` equals `key`, in one transaction: `change`
    /// gets that row (nil if none) and returns its replacement.
    func upsert(column: String, equals key: String, _ change: @escaping @Sendable (Value?) throws -> Value) async throws -> Value
    /// Applies `change` to every row whose `column` equals `key` and that `predicate`
    /// accepts, in one transaction; returns how many changed.
    func updateAll(
        column: String, equals key: String, where predicate: @escaping @Sendable (Value) -> Bool, _ change: @escaping @Sendable (Value) -> Value
    ) async throws(StorageError) -> Int
    /// Removes every row whose `column` equals `key`; returns how many.
    @discardableResult
    func deleteAll(column: String, equals key: String) async throws(StorageError) -> Int
    /// Removes every row whose `column` starts with `prefix`; returns how many.
    @discardableResult
    func deleteAll(column: String, prefix: String) async throws(StorageError) -> Int
    /// Removes every row `predicate` accepts, in one transaction, reading them all: for
    /// rare administrative deletes that no column answers.
    @discardableResult
    func deleteAll(where predicate: @escaping @Sendable (Value) -> Bool) async throws(StorageError) -> Int
    /// Throws `storage.not_found`.
    func delete(_ key: String) async throws(StorageError)
}
