import GRDB

/// Migrations, in order. Never edit a shipped migration: add the next one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: service providers, users, sessions, flows") { db in
            try db.execute(sql: """
                CREATE TABLE service_providers (
                    name TEXT PRIMARY KEY NOT NULL,
                    saml_issuer TEXT UNIQUE,
                    data BLOB NOT NULL
                );
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_key TEXT NOT NULL UNIQUE,
                    data BLOB NOT NULL
                );
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE TABLE flows (
                    id TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: authorization codes, tokens, device authorizations, scopes") { db in
            try db.execute(sql: """
                CREATE TABLE authorization_codes (
                    id TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE TABLE tokens (
                    id TEXT PRIMARY KEY NOT NULL,
                    grant_id TEXT NOT NULL,
                    client_id TEXT NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX tokens_grant ON tokens (grant_id);
                CREATE INDEX tokens_client ON tokens (client_id);
                CREATE TABLE device_authorizations (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_code TEXT NOT NULL UNIQUE,
                    data BLOB NOT NULL
                );
                CREATE TABLE scopes (
                    name TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: service providers by OAuth client ID") { db in
            try db.execute(sql: """
                ALTER TABLE service_providers ADD COLUMN oidc_client_id TEXT;
                CREATE UNIQUE INDEX service_providers_client_id ON service_providers (oidc_client_id);
                """)
        }
        migrator.registerMigration("v4: replay cache") { db in
            try db.execute(sql: """
                CREATE TABLE replays (
                    key TEXT PRIMARY KEY NOT NULL,
                    expires_at DOUBLE NOT NULL
                );
                """)
        }
        migrator.registerMigration("v5: consent receipts") { db in
            try db.execute(sql: """
                CREATE TABLE consents (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_sp TEXT NOT NULL UNIQUE,
                    user_id TEXT NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX consents_user ON consents (user_id);
                """)
        }
        migrator.registerMigration("v6: identity providers, federated accounts") { db in
            try db.execute(sql: """
                CREATE TABLE identity_providers (
                    name TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                ALTER TABLE users ADD COLUMN federation TEXT;
                CREATE UNIQUE INDEX users_federation ON users (federation);
                """)
        }
        return migrator
    }
}
