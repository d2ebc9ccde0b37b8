public import IdentityCore

/// FE-4, JIT-6: federated people mapped to local accounts, unique by id and by federated
/// account (one person, one account).
public protocol AssociationStore: Sendable {
    func create(_ association: FederatedAssociation) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> FederatedAssociation?
    func find(_ account: FederatedAccount) async throws(StorageError) -> FederatedAssociation?
    /// An account's associations, by IdP name then subject.
    func list(userID: String) async throws(StorageError) -> [FederatedAssociation]
    func delete(id: String) async throws(StorageError)
    /// Removes an IdP's associations (the IdP is deleted); returns how many.
    @discardableResult func deleteAll(identityProvider: String) async throws(StorageError) -> Int
    /// Removes an account's associations (the account is deleted, or asked); returns how many.
    @discardableResult func deleteAll(userID: String) async throws(StorageError) -> Int
}

extension [FederatedAssociation] {
    public func sortedForListing() -> [FederatedAssociation] {
        sorted { ($0.identityProvider, $0.subject) < ($1.identityProvider, $1.subject) }
    }
}

/// In-memory associations.
public final class InMemoryAssociationStore: AssociationStore {
    private let table = InMemoryTable<FederatedAssociation>(
        what: "association", primaryField: "id", primary: \.id, uniqueKeys: [.init(field: "federation", read: { $0.account.key })])

    public init() {}

    public func create(_ association: FederatedAssociation) throws(StorageError) { try table.insert(association) }
    public func get(id: String) -> FederatedAssociation? { table.get(id) }
    public func find(_ account: FederatedAccount) -> FederatedAssociation? {
        let key = account.key
        return table.first { $0.account.key == key }
    }
    public func list(userID: String) -> [FederatedAssociation] { table.all().filter { $0.userID == userID }.sortedForListing() }
    public func delete(id: String) throws(StorageError) { try table.delete(id) }
    public func deleteAll(identityProvider: String) -> Int { table.deleteAll { $0.identityProvider == identityProvider } }
    public func deleteAll(userID: String) -> Int { table.deleteAll { $0.userID == userID } }
}
