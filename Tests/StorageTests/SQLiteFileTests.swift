import Foundation
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
            let storage = try SQLiteStorage.open(path: path)
            try await storage.serviceProviders.create(
                ServiceProvider(name: "travelocity", saml: SAMLSettings(issuer: "travelocity.com", acsURLs: ["https://t.example/acs"])))
        }
        let reopened = try SQLiteStorage.open(path: path)
        #expect(try await reopened.serviceProviders.find(samlIssuer: "travelocity.com")?.name == "travelocity")
    }

    @Test func theFileDatabaseRunsInWALMode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let storage = try SQLiteStorage.open(path: path)
        try await storage.users.create(User(id: "u1", username: "alice"))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
