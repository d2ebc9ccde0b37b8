import Foundation
import IdentityStorage
import IdentityStorageSQLite
import StorageConformance
import Testing

/// Every backend passes the same conformance suite.
@Suite struct StorageConformanceTests {
    @Test("in-memory store", arguments: StorageConformance.checks)
    func inMemoryStoreConforms(check: ConformanceCheck) async throws {
        try await check.run(Storage.inMemory())
    }

    @Test("SQLite in memory", arguments: StorageConformance.checks)
    func sqliteInMemoryConforms(check: ConformanceCheck) async throws {
        try await check.run(SQLiteStorage.inMemory(sections: ConformanceFixtures.sections))
    }

    @Test("SQLite file (WAL)", arguments: StorageConformance.checks)
    func sqliteFileConforms(check: ConformanceCheck) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await check.run(SQLiteStorage.open(path: directory.appendingPathComponent("test.sqlite").path, sections: ConformanceFixtures.sections))
    }
}
