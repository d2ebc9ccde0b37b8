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
