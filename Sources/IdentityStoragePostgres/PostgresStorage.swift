public import IdentityCore
public import IdentityStorage
import Foundation
public import Logging
public import PostgresNIO
import Synchronization

/// PostgreSQL as the server's storage, for several server instances on one database
/// (issue 19). The tables are SQLite's, column for column; the stores are the same
/// ``DocumentStores``; transactions lock the rows they change, and the database's own
/// unique constraints settle two instances racing for one key.
///
/// ```swift
/// let database = try await PostgresStorage.connect(url: "postgres://ih@127.0.0.1:5432/ih", sections: …)
/// … database.storage …
/// await database.close()
/// ```
public final class PostgresStorage: Sendable {
    public let storage: Storage
    let client: PostgresClient
    private let runner: Task<Void, Never>

    init(client: PostgresClient, runner: Task<Void, Never>, sections: SectionRegistry, logger: Logger) {
        self.client = client
        self.runner = runner
        func table<Value>(_ layout: RecordLayout<Value>) -> PostgresTable<Value> { PostgresTable(layout, client: client, logger: logger) }
        var serviceProviders = table(AggregateLayouts.serviceProviders)
        serviceProviders.lookups = .init(table: AggregateLayouts.serviceProviderLookups, read: { $0.lookupKeys })
        serviceProviders.userInfo = sections.userInfo
        var identityProviders = table(AggregateLayouts.identityProviders)
        identityProviders.userInfo = sections.userInfo
        storage = Storage(
            serviceProviders: DocumentServiceProviderStore(table: serviceProviders),
            users: DocumentUserStore(table: table(AggregateLayouts.users)),
            sessions: DocumentSessionStore(table: table(AggregateLayouts.sessions)),
            flows: DocumentFlowStore(table: table(AggregateLayouts.flows)),
            records: PostgresRecordBackend(client: client, logger: logger),
            replays: PostgresReplayStore(client: client, logger: logger),
            consents: DocumentConsentStore(table: table(AggregateLayouts.consents)),
            identityProviders: DocumentIdentityProviderStore(table: identityProviders),
            associations: DocumentAssociationStore(table: table(AggregateLayouts.associations)))
    }

    /// Connects (a pool of at most `connections`), creates or upgrades the schema, and
    /// returns the storage. `close()` ends the pool.
    public static func connect(
        configuration: PostgresClient.Configuration, connections: Int = 10, sections: SectionRegistry,
        logger: Logger = Logger(label: "identity-storage-postgres")
    ) async throws -> PostgresStorage {
        var configuration = configuration
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let database = PostgresStorage(client: client, runner: runner, sections: sections, logger: logger)
        do {
            try await PostgresSchema.migrate(client, logger: logger)
        } catch {
            await database.close()
            throw StorageError(.storageUnavailable, detail: "PostgreSQL schema: \(String(reflecting: error))")
        }
        return database
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}

extension PostgresStorage {
    /// A client configuration from `postgres://user[:password]@host[:port]/database`
    /// (TLS off: a loopback or private-network database; see the README).
    public static func configuration(url text: String) throws(StorageError) -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""), let host = url.host, !host.isEmpty,
            let user = url.user, !user.isEmpty
        else {
            throw StorageError(.storageUnavailable, value: text, detail: "a PostgreSQL URL is postgres://user[:password]@host[:port]/database")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database.isEmpty ? nil : database, tls: .disable)
    }
}
