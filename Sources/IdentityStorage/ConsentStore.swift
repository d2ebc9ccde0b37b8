public import IdentityCore

/// Consent receipts (CL-4), one per user and service provider.
public protocol ConsentStore: Sendable {
    /// Creates or changes the receipt for a user and SP in one step (two consent pages
    /// answered at once cannot lose each other's answers): `change` gets the current
    /// receipt, nil if none, and returns the new one for the same user and SP.
    @discardableResult
    func record(userID: String, serviceProvider: String, _ change: @escaping @Sendable (ConsentReceipt?) -> ConsentReceipt)
        async throws(StorageError) -> ConsentReceipt
    func find(userID: String, serviceProvider: String) async throws(StorageError) -> ConsentReceipt?
    /// A user's receipts, by SP name.
    func list(userID: String) async throws(StorageError) -> [ConsentReceipt]
    /// Every receipt, by user then SP (state snapshots).
    func all() async throws(StorageError) -> [ConsentReceipt]
    func delete(id: String) async throws(StorageError)
    /// Removes a user's receipts (the user is deleted); returns how many.
    @discardableResult func deleteAll(userID: String) async throws(StorageError) -> Int
    /// Removes the receipts given to an SP (the SP is deleted: a new SP of that name must
    /// ask again); returns how many.
    @discardableResult func deleteAll(serviceProvider: String) async throws(StorageError) -> Int
}

/// In-memory consent receipts.
public final class InMemoryConsentStore: ConsentStore {
    private let table = InMemoryTable<ConsentReceipt>(
        what: "consent receipt", primaryField: "id", primary: \.id,
        uniqueKeys: [.init(field: "serviceProvider", read: { "\($0.userID)/\($0.serviceProvider)" })])

    public init() {}

    @discardableResult
    public func record(userID: String, serviceProvider: String, _ change: @escaping @Sendable (ConsentReceipt?) -> ConsentReceipt)
        throws(StorageError) -> ConsentReceipt
    {
        do {
            return try table.upsert(matching: { $0.userID == userID && $0.serviceProvider == serviceProvider }) { old in
                try change(old).checked(userID: userID, serviceProvider: serviceProvider)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.storageUnavailable, detail: "consents: \(error)")
        }
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
    @discardableResult public func deleteAll(userID: String) -> Int { table.deleteAll { $0.userID == userID } }
    @discardableResult public func deleteAll(serviceProvider: String) -> Int { table.deleteAll { $0.serviceProvider == serviceProvider } }
}

extension ConsentReceipt {
    /// A receipt `record` stores must stay with the user and SP it was asked for.
    public func checked(userID: String, serviceProvider: String) throws(StorageError) -> ConsentReceipt {
        guard self.userID == userID, self.serviceProvider == serviceProvider else {
            throw StorageError(.storageUnavailable, detail: "a consent receipt cannot move to another user or service provider")
        }
        return self
    }
}
