import Foundation
import GRDB
import IdentityCore
import IdentityStorage
@testable import IdentityStorageSQLite
import Testing

/// Migration v7 (AU-9, FE-4) on a database written by the schema before it.
@Suite struct SQLiteMigrationTests {
    /// A v6 database file holding `users` as v6 stored them: `user_key` per store.
    func v6Database(_ users: [User]) throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("server.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v6: identity providers, federated accounts")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try queue.write { db in
            for user in users {
                try db.execute(
                    sql: "INSERT INTO users (id, user_key, federation, data) VALUES (?, ?, ?, ?)",
                    arguments: [
                        user.id, "\(user.tenant.lowercased())/\(user.userStore.uppercased())/\(user.username.lowercased())", user.federation?.key,
                        try encoder.encode(user),
                    ])
            }
        }
        return (path, directory)
    }

    @Test func accountsAreKeyedByTenantAndCanonicalUsernameAndProvisionedLinksBecomeAssociations() async throws {
        var paula = User(id: "u2", userStore: "SECONDARY", username: "7f1c9e0a-paula")
        paula.federation = FederatedAccount(identityProvider: "partner-oidc", subject: "7f1c9e0a-paula")
        let (path, directory) = try v6Database([User(id: "u1", username: "Alice"), paula])
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteStorage.open(path: path)
        #expect(try await storage.users.find(username: "ＡＬＩＣＥ", tenant: Tenant.superTenant)?.id == "u1")
        #expect(try await storage.users.find(username: "7F1C9E0A-PAULA", tenant: Tenant.superTenant)?.id == "u2")
        let associations = try await storage.associations.list(userID: "u2")
        #expect(associations.map(\.account) == [paula.federation])
        #expect(associations.first?.provisioned == true)
        await #expect(throws: StorageError.self) { try await storage.users.create(User(id: "u3", userStore: "SECONDARY", username: "alice")) }
    }

    @Test func twoAccountsThatNowShareAUsernameStopTheUpgradeNamingBoth() throws {
        let (path, directory) = try v6Database([User(id: "u1", username: "bob"), User(id: "u2", userStore: "SECONDARY", username: "BOB")])
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try SQLiteStorage.open(path: path)
            Issue.record("the upgrade went on with two accounts named bob")
        } catch {
            let text = "\(error)"
            #expect(text.contains("u1") && text.contains("u2") && text.contains("storage.already_exists"), "\(text)")
        }
    }
}
