import Synchronization

/// A keyed collection with unique secondary keys, guarded by a mutex: the one piece every
/// in-memory store is made of, so uniqueness and compare-and-swap behave identically
/// across them (and identically to the SQLite backend, which StorageConformance checks).
final class InMemoryTable<Value: Sendable>: Sendable {
    /// A unique secondary key: its field name (for errors) and how to read it (nil = none).
    struct UniqueKey: Sendable {
        let field: String
        let read: @Sendable (Value) -> String?
    }

    private let what: String
    private let primaryField: String
    private let primary: @Sendable (Value) -> String
    private let uniqueKeys: [UniqueKey]
    /// Several unique values per row, each unique within its field (a service provider's
    /// lookup keys).
    private let uniqueLookups: (@Sendable (Value) -> [(field: String, value: String)])?
    private let rows = Mutex<[String: Value]>([:])

    init(
        what: String, primaryField: String, primary: @escaping @Sendable (Value) -> String, uniqueKeys: [UniqueKey] = [],
        uniqueLookups: (@Sendable (Value) -> [(field: String, value: String)])? = nil
    ) {
        self.what = what
        self.primaryField = primaryField
        self.primary = primary
        self.uniqueKeys = uniqueKeys
        self.uniqueLookups = uniqueLookups
    }

    func insert(_ value: Value) throws(StorageError) {
        let key = primary(value)
        try rows.withLock { (rows: inout [String: Value]) throws(StorageError) in
            if rows[key] != nil { throw .alreadyExists(what, field: primaryField, key) }
            try checkUnique(value, in: rows, ignoring: nil)
            rows[key] = value
        }
    }

    func get(_ key: String) -> Value? {
        rows.withLock { $0[key] }
    }

    func first(where predicate: (Value) -> Bool) -> Value? {
        rows.withLock { $0.values.first(where: predicate) }
    }

    func all() -> [Value] {
        rows.withLock { Array($0.values) }
    }

    func count() -> Int {
        rows.withLock { $0.count }
    }

    func update(_ key: String, _ change: (Value) throws -> Value) throws -> Value {
        try rows.withLock { rows in
            guard let old = rows[key] else { throw StorageError.notFound(what, key) }
            let new = try change(old)
            let newKey = primary(new)
            if newKey != key, rows[newKey] != nil { throw StorageError.alreadyExists(what, field: primaryField, newKey) }
            try checkUnique(new, in: rows, ignoring: key)
            rows[key] = nil
            rows[newKey] = new
            return new
        }
    }

    /// Applies `change` to every row that matches; returns how many rows changed.
    func updateAll(where predicate: (Value) -> Bool, _ change: (Value) -> Value) -> Int {
        rows.withLock { rows in
            var changed = 0
            for (key, value) in rows where predicate(value) {
                rows[key] = change(value)
                changed += 1
            }
            return changed
        }
    }

    /// Inserts or replaces by primary key (unique keys still hold).
    func upsert(_ value: Value) throws(StorageError) {
        let key = primary(value)
        try rows.withLock { (rows: inout [String: Value]) throws(StorageError) in
            try checkUnique(value, in: rows, ignoring: key)
            rows[key] = value
        }
    }

    /// Creates or changes the one row `predicate` picks, in one step: `change` gets that
    /// row (nil if none) and returns its replacement.
    func upsert(matching predicate: (Value) -> Bool, _ change: (Value?) throws -> Value) throws -> Value {
        try rows.withLock { rows in
            let old = rows.first { predicate($0.value) }
            let new = try change(old?.value)
            let newKey = primary(new)
            if newKey != old?.key, rows[newKey] != nil { throw StorageError.alreadyExists(what, field: primaryField, newKey) }
            try checkUnique(new, in: rows, ignoring: old?.key)
            if let oldKey = old?.key { rows[oldKey] = nil }
            rows[newKey] = new
            return new
        }
    }

    /// Removes every row that matches; returns how many.
    @discardableResult
    func deleteAll(where predicate: (Value) -> Bool) -> Int {
        rows.withLock { rows in
            let keys = rows.filter { predicate($0.value) }.map(\.key)
            for key in keys { rows[key] = nil }
            return keys.count
        }
    }

    func delete(_ key: String) throws(StorageError) {
        try rows.withLock { (rows: inout [String: Value]) throws(StorageError) in
            guard rows.removeValue(forKey: key) != nil else { throw .notFound(what, key) }
        }
    }

    private func checkUnique(_ value: Value, in rows: [String: Value], ignoring: String?) throws(StorageError) {
        for unique in uniqueKeys {
            guard let candidate = unique.read(value) else { continue }
            for (key, other) in rows where key != ignoring && unique.read(other) == candidate {
                throw .alreadyExists(what, field: unique.field, candidate)
            }
        }
        guard let uniqueLookups else { return }
        for lookup in uniqueLookups(value) {
            for (key, other) in rows where key != ignoring && uniqueLookups(other).contains(where: { $0 == lookup }) {
                throw .alreadyExists(what, field: lookup.field, lookup.value)
            }
        }
    }
}
