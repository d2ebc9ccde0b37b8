import Foundation
import GRDB
import IdentityCore
import IdentityStorage
import IdentityStorageSQLite
import Testing

@Suite struct SQLiteFileTests {
    @Test func recordsSurviveReopeningTheDatabaseFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-reopen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        do {
            let storage = try SQLiteStorage.open(path: path, sections: testSections)
            try await storage.serviceProviders.create(
                ServiceProvider(name: "travelocity", sections: [IssuerSection(issuer: "travelocity.com")]))
        }
        let reopened = try SQLiteStorage.open(path: path, sections: testSections)
        #expect(try await reopened.serviceProviders.find(.init(field: "saml.issuer", value: "travelocity.com"))?.name == "travelocity")
    }

    /// A store opened without a protocol's section type refuses a record that carries one
    /// (storage.unavailable, naming it) rather than reading it without that section and
    /// losing it at the next write.
    @Test func aRecordWithASectionTheStoreWasNotGivenIsRefusedNotTruncated() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-sections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        try await SQLiteStorage.open(path: path, sections: testSections).serviceProviders.create(
            ServiceProvider(name: "both", sections: [IssuerSection(issuer: "both.example"), ClientIDSection(clientID: "both-client")]))
        let partial = try SQLiteStorage.open(path: path, sections: SectionRegistry(serviceProviderSections: [IssuerSection.self]))
        do {
            _ = try await partial.serviceProviders.get(name: "both")
            Issue.record("a record was read without its oidc section")
        } catch {
            #expect(error.code == .storageUnavailable)
            #expect(error.detail.contains("no protocol section 'oidc'"))
        }
        let full = try SQLiteStorage.open(path: path, sections: testSections)
        #expect(try await full.serviceProviders.get(name: "both")[section: ClientIDSection.self]?.clientID == "both-client")
    }

    /// A database that fails underneath the server (a table gone, a disk full) is
    /// `storage.unavailable`, a 503 the caller can retry, never a crash or a not-found.
    @Test func aBrokenDatabaseIsUnavailableNotMissingRecords() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let storage = try SQLiteStorage.open(path: path, sections: testSections)
        try await storage.users.create(User(id: "u1", username: "alice"))
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "DROP TABLE users") }
        await #expect(throws: StorageError(.storageUnavailable, detail: "")) { try await storage.users.get(id: "u1") }
        await #expect(throws: StorageError(.storageUnavailable, detail: "")) { try await storage.users.create(User(id: "u2", username: "bob")) }
        #expect(ErrorCode.storageUnavailable.status == 503)
    }

    @Test func theFileDatabaseRunsInWALMode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let storage = try SQLiteStorage.open(path: path, sections: testSections)
        try await storage.users.create(User(id: "u1", username: "alice"))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
