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
        return migrator
    }
}
