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
        let storage = try SQLiteStorage.open(path: path, sections: testSections)
        #expect(try await storage.users.find(username: "ＡＬＩＣＥ", tenant: Tenant.superTenant)?.id == "u1")
        #expect(try await storage.users.find(username: "7F1C9E0A-PAULA", tenant: Tenant.superTenant)?.id == "u2")
        let associations = try await storage.associations.list(userID: "u2")
        #expect(associations.map(\.account) == [paula.federation])
        #expect(associations.first?.provisioned == true)
        await #expect(throws: StorageError.self) { try await storage.users.create(User(id: "u3", userStore: "SECONDARY", username: "alice")) }
    }

    /// v8: the SAML issuer and client ID columns become lookup keys of the sections.
    @Test func serviceProvidersKeepBeingFoundByIssuerAndClientIDAfterTheUpgrade() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v7: one username per tenant across user stores; federated associations")
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO service_providers (name, saml_issuer, oidc_client_id, data) VALUES (?, ?, ?, ?)",
                arguments: [
                    "both", "both.example", "both-client",
                    #"{"claims":{},"name":"both","oidc":{"clientID":"both-client","callbackURLs":[]},"saas":false,"saml":{"issuer":"both.example","acsURLs":["https://b/acs"]},"tenant":"carbon.super"}"#,
                ])
            try db.execute(
                sql: "INSERT INTO service_providers (name, saml_issuer, oidc_client_id, data) VALUES (?, ?, NULL, ?)",
                arguments: ["saml-only", "saml.example", #"{"claims":{},"name":"saml-only","saas":false,"saml":{"issuer":"saml.example","acsURLs":["https://s/acs"]},"tenant":"carbon.super"}"#])
        }
        let storage = try SQLiteStorage.open(path: path, sections: testSections)
        #expect(try await storage.serviceProviders.find(.init(field: "saml.issuer", value: "both.example"))?.name == "both")
        #expect(try await storage.serviceProviders.find(.init(field: "oidc.clientID", value: "both-client"))?.name == "both")
        #expect(try await storage.serviceProviders.find(.init(field: "saml.issuer", value: "saml.example"))?.name == "saml-only")
        #expect(try await storage.serviceProviders.list().map(\.name) == ["both", "saml-only"])
        await #expect(throws: StorageError.self) {
            try await storage.serviceProviders.create(ServiceProvider(name: "clash", sections: [ClientIDSection(clientID: "both-client")]))
        }
    }

    /// v10: the sessions API lists the sessions stored before the upgrade by their person.
    @Test func sessionsStoredBeforeTheUpgradeAreListedByTheirPerson() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v9: tokens found by the SSO session they came from")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let session = SSOSession(id: "s1", userID: "u1", authenticatedAt: now, expiresAt: now + 3600, authenticators: ["basic"])
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, data) VALUES (?, ?)", arguments: ["s1", try JSONEncoder().encode(session)])
        }
        let storage = try SQLiteStorage.open(path: path, sections: testSections)
        #expect(try await storage.sessions.list(userID: "u1") == [session])
        #expect(try await storage.sessions.list(userID: "u2").isEmpty)
    }

    @Test func twoAccountsThatNowShareAUsernameStopTheUpgradeNamingBoth() throws {
        let (path, directory) = try v6Database([User(id: "u1", username: "bob"), User(id: "u2", userStore: "SECONDARY", username: "BOB")])
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try SQLiteStorage.open(path: path, sections: testSections)
            Issue.record("the upgrade went on with two accounts named bob")
        } catch {
            let text = "\(error)"
            #expect(text.contains("u1") && text.contains("u2") && text.contains("storage.already_exists"), "\(text)")
        }
    }
}
