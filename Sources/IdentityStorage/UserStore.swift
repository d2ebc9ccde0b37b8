public import IdentityCore

/// User accounts, unique by id, by tenant and canonical username across every user store
/// (AU-9: `User.uniqueKey`), and by the federated account they were provisioned from.
public protocol UserStore: Sendable {
    /// One insert: a provisioned account arrives whole (claims, link and all) or not at all.
    func create(_ user: User) async throws(StorageError)
    func get(id: String) async throws(StorageError) -> User
    /// The account with this username in this tenant, in whichever user store: compared
    /// in the canonical form (`ALICE`, `ａｌｉｃｅ` find `alice`).
    func find(username: String, tenant: String) async throws(StorageError) -> User?
    /// The accounts whose local claim `claim` holds `value` (an SP's subject claim must
    /// name one account only).
    func find(claim: String, value: String) async throws(StorageError) -> [User]
    /// JIT-6: the account provisioned from this IdP person, if any.
    func find(federation: FederatedAccount) async throws(StorageError) -> User?
    /// Removes the accounts an IdP provisioned (JIT-7, the IdP is deleted); returns their ids.
    func deleteAll(provisionedBy identityProvider: String) async throws(StorageError) -> [String]
    /// FE-4: forgets which IdP person the accounts an IdP provisioned came from (the IdP
    /// is deleted; the accounts stay); returns their ids.
    func unlinkAll(provisionedBy identityProvider: String) async throws -> [String]
    /// Sorted by tenant, user store, username (`User.listOrder`).
    func list() async throws(StorageError) -> [User]
    @discardableResult
    func update(id: String, _ change: @escaping @Sendable (User) throws -> User) async throws -> User
    func delete(id: String) async throws(StorageError)
}
