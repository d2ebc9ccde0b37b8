public import IdentityStorage
public import IdentityCore
import GRDB

/// The embedded default backend: SQLite through GRDB.
///
/// A file database opens as a `DatabasePool` in WAL mode (readers never wait for the
/// writer); `inMemory()` opens a private `DatabaseQueue`. Each aggregate is a table with
/// its key columns and the record as JSON, so adding a field to a record needs no
/// migration while every uniqueness rule is still enforced by an index.
public enum SQLiteStorage {
    /// Opens (creating if needed) the database file at `path` and migrates it. `sections`
    /// are the protocol sections provider records may carry (the server's protocol
    /// modules); `faults` is for crash tests only (see `SQLiteFaultInjection`).
    public static func open(
        path: String, sections: SectionRegistry, faults: SQLiteFaultInjection = SQLiteFaultInjection()
    ) throws -> Storage {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try storage(on: pool, sections: sections, faults: faults)
    }

    /// A private in-memory database with the same schema and code paths as a file.
    public static func inMemory(sections: SectionRegistry) throws -> Storage {
        try storage(on: DatabaseQueue(), sections: sections)
    }

    static func storage(
        on writer: any DatabaseWriter, sections: SectionRegistry, faults: SQLiteFaultInjection = SQLiteFaultInjection()
    ) throws -> Storage {
        try SQLiteSchema.migrator.migrate(writer)
        var users = SQLiteTable(AggregateLayouts.users, writer: writer)
        users.beforeInsertCommits = faults.beforeUserInsertCommits
        return Storage(
            serviceProviders: DocumentServiceProviderStore(table: SQLiteTables.serviceProviders(writer: writer, sections: sections)),
            users: DocumentUserStore(table: users),
            sessions: DocumentSessionStore(table: SQLiteTable(AggregateLayouts.sessions, writer: writer)),
            flows: DocumentFlowStore(table: SQLiteTable(AggregateLayouts.flows, writer: writer)),
            records: SQLiteRecordBackend(writer: writer),
            replays: SQLiteReplayStore(writer: writer),
            consents: DocumentConsentStore(table: SQLiteTable(AggregateLayouts.consents, writer: writer)),
            identityProviders: DocumentIdentityProviderStore(table: SQLiteTables.identityProviders(writer: writer, sections: sections)),
            associations: DocumentAssociationStore(table: SQLiteTable(AggregateLayouts.associations, writer: writer)))
    }
}

/// Test-only fault injection: code run inside a write transaction just before it commits,
/// so a crash test can kill the process with the transaction open and prove that nothing
/// of it survives (a JIT-provisioned account arrives whole or not at all).
public struct SQLiteFaultInjection: Sendable {
    /// Runs inside the transaction that inserts a user, after the insert, before commit.
    public var beforeUserInsertCommits: (@Sendable () -> Void)?

    public init(beforeUserInsertCommits: (@Sendable () -> Void)? = nil) {
        self.beforeUserInsertCommits = beforeUserInsertCommits
    }
}
