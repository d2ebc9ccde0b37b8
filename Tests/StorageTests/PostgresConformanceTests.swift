import Foundation
import IdentityStorage
import IdentityStoragePostgres
import Logging
import PostgresNIO
import StorageConformance
import Testing

/// The storage conformance suite on PostgreSQL, each check in a database of its own, on
/// the cluster `IH_POSTGRES_URL` names (`Targets/postgres/serve.sh start` prints one).
/// Skipped with that hint when it is not set; under `CI=true` the
/// `postgresIsThereWhereCIRuns` test fails instead.
@Suite(.enabled(if: PostgresCluster.url != nil, "no PostgreSQL: run Targets/postgres/serve.sh start and export IH_POSTGRES_URL"))
struct PostgresConformanceTests {
    @Test("PostgreSQL", arguments: StorageConformance.checks)
    func postgresConforms(check: ConformanceCheck) async throws {
        try await PostgresCluster.withFreshDatabase { database, _ in try await check.run(database.storage) }
    }
}

@Test func postgresIsThereWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || PostgresCluster.url != nil, "CI=true but IH_POSTGRES_URL is not set: .ci/run must start Targets/postgres/serve.sh")
}

enum PostgresCluster {
    static let url = ProcessInfo.processInfo.environment["IH_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let logger = Logger(label: "postgres-tests")

    /// A new database on the cluster, migrated, dropped afterwards; `body` also gets its
    /// configuration, to open a second instance on it.
    static func withFreshDatabase(_ body: (PostgresStorage, PostgresClient.Configuration) async throws -> Void) async throws {
        let admin = try PostgresStorage.configuration(url: try #require(url))
        let name = "ih_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer(admin, "CREATE DATABASE \(name)")
        var configuration = admin
        configuration.database = name
        let database = try await PostgresStorage.connect(configuration: configuration, connections: 4, sections: ConformanceFixtures.sections)
        do {
            try await body(database, configuration)
        } catch {
            await database.close()
            try? await administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
        await database.close()
        try await administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
    }

    static func administer(_ configuration: PostgresClient.Configuration, _ sql: String) async throws {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            group.cancelAll()
        }
    }
}

/// Two instances on one PostgreSQL database, racing (issue 19): each check opens two
/// storages on one fresh database and fires the same change from both at once.
@Suite(.enabled(if: PostgresCluster.url != nil, "no PostgreSQL: run Targets/postgres/serve.sh start and export IH_POSTGRES_URL"))
struct PostgresRaceTests {
    @Test("PostgreSQL, two instances", arguments: RaceConformance.checks)
    func postgresSettlesRacesOnce(check: RaceCheck) async throws {
        try await PostgresCluster.withFreshDatabase { first, configuration in
            let second = try await PostgresStorage.connect(configuration: configuration, connections: 4, sections: ConformanceFixtures.sections)
            do {
                try await check.run(first.storage, second.storage)
            } catch {
                await second.close()
                throw error
            }
            await second.close()
        }
    }
}
