import Logging
import PostgresNIO

/// The schema, in numbered steps recorded in `schema_migrations`; each step runs once, in
/// one transaction, under an advisory lock so that instances starting together do not
/// race. Never edit a shipped step: add the next one.
enum PostgresSchema {
    static let steps: [(version: Int, sql: [String])] = [
        (1, [
            "CREATE TABLE service_providers (name text PRIMARY KEY, data bytea NOT NULL)",
            """
            CREATE TABLE service_provider_lookups (
                field text NOT NULL, value text NOT NULL, owner text NOT NULL REFERENCES service_providers (name) DEFERRABLE INITIALLY DEFERRED,
                PRIMARY KEY (field, value))
            """,
            "CREATE INDEX service_provider_lookups_owner ON service_provider_lookups (owner)",
            "CREATE TABLE users (id text PRIMARY KEY, user_key text NOT NULL UNIQUE, federation text UNIQUE, data bytea NOT NULL)",
            "CREATE TABLE sessions (id text PRIMARY KEY, user_id text, federated_key text, data bytea NOT NULL)",
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE INDEX sessions_federated ON sessions (federated_key)",
            "CREATE TABLE flows (id text PRIMARY KEY, data bytea NOT NULL)",
            "CREATE TABLE identity_providers (name text PRIMARY KEY, data bytea NOT NULL)",
            """
            CREATE TABLE associations (
                id text PRIMARY KEY, federation text NOT NULL UNIQUE, user_id text NOT NULL, identity_provider text NOT NULL, data bytea NOT NULL)
            """,
            "CREATE INDEX associations_user ON associations (user_id)",
            "CREATE INDEX associations_identity_provider ON associations (identity_provider)",
            "CREATE TABLE consents (id text PRIMARY KEY, user_sp text NOT NULL UNIQUE, user_id text NOT NULL, data bytea NOT NULL)",
            "CREATE INDEX consents_user ON consents (user_id)",
            "CREATE TABLE replays (key text PRIMARY KEY, expires_at double precision NOT NULL)",
            "CREATE INDEX replays_expiry ON replays (expires_at)",
        ]),
    ]

    /// An arbitrary constant: the advisory lock every instance takes while migrating.
    static let lockKey = 7_146_313_019

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await connection.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)", logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                    applied.insert(version)
                }
                for step in steps where !applied.contains(step.version) {
                    try await connection.withTransaction(logger: logger) { connection in
                        for statement in step.sql { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                        try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(step.version))", logger: logger)
                    }
                }
            } catch {
                try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        }
    }
}
