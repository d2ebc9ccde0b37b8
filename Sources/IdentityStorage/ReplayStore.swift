public import Foundation

/// One-time values (client-assertion `jti`s, later SAML assertion IDs) remembered until
/// they expire, so a second use is recognised.
public protocol ReplayStore: Sendable {
    /// Records `key` until `expiresAt`; false if it was already recorded and not expired.
    func claim(_ key: String, until expiresAt: Date, now: Date) async throws(StorageError) -> Bool
}

/// In-memory replay cache.
public final class InMemoryReplayStore: ReplayStore {
    private let table = InMemoryTable<ReplayEntry>(what: "replay entry", primaryField: "key", primary: \.key)

    public init() {}

    public func claim(_ key: String, until expiresAt: Date, now: Date) throws(StorageError) -> Bool {
        if let existing = table.get(key), existing.expiresAt > now { return false }
        try table.upsert(ReplayEntry(key: key, expiresAt: expiresAt))
        return true
    }
}

/// A remembered one-time value.
public struct ReplayEntry: Codable, Sendable, Hashable {
    public var key: String
    public var expiresAt: Date

    public init(key: String, expiresAt: Date) {
        self.key = key
        self.expiresAt = expiresAt
    }
}
