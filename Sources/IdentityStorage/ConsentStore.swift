public import IdentityCore

/// Consent receipts (CL-4), one per user and service provider.
public protocol ConsentStore: Sendable {
    /// Creates or replaces the receipt for its user and SP.
    func put(_ receipt: ConsentReceipt) async throws(StorageError)
    func find(userID: String, serviceProvider: String) async throws(StorageError) -> ConsentReceipt?
    /// A user's receipts, by SP name.
    func list(userID: String) async throws(StorageError) -> [ConsentReceipt]
    /// Every receipt, by user then SP (state snapshots).
    func all() async throws(StorageError) -> [ConsentReceipt]
    func delete(id: String) async throws(StorageError)
}

/// In-memory consent receipts.
public final class InMemoryConsentStore: ConsentStore {
    private let table = InMemoryTable<ConsentReceipt>(
        what: "consent receipt", primaryField: "id", primary: \.id,
        uniqueKeys: [.init(field: "serviceProvider", read: { "\($0.userID)/\($0.serviceProvider)" })])

    public init() {}

    public func put(_ receipt: ConsentReceipt) throws(StorageError) {
        if let existing = find(userID: receipt.userID, serviceProvider: receipt.serviceProvider), existing.id != receipt.id {
            try table.delete(existing.id)
        }
        try table.upsert(receipt)
    }

    public func find(userID: String, serviceProvider: String) -> ConsentReceipt? {
        table.first { $0.userID == userID && $0.serviceProvider == serviceProvider }
    }

    public func list(userID: String) -> [ConsentReceipt] {
        table.all().filter { $0.userID == userID }.sorted { $0.serviceProvider < $1.serviceProvider }
    }

    public func all() -> [ConsentReceipt] {
        table.all().sorted { ($0.userID, $0.serviceProvider) < ($1.userID, $1.serviceProvider) }
    }

    public func delete(id: String) throws(StorageError) { try table.delete(id) }
}
