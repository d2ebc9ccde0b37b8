import Foundation
import GRDB
import IdentityCore
import IdentityStorage

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
        migrator.registerMigration("v7: one username per tenant across user stores; federated associations") { db in
            // AU-9: user_key becomes tenant + canonical username (RFC 8265), whatever the
            // store. Two accounts that now share a key cannot both stay: say which.
            var holders = [String: String]()
            for row in try Row.fetchAll(db, sql: "SELECT id, data FROM users") {
                let id: String = row["id"]
                let user = try JSONDecoder().decode(User.self, from: row["data"] as Data)
                if let other = holders[user.uniqueKey] {
                    throw StorageError(
                        .storageAlreadyExists, field: "username", value: user.username,
                        detail: "accounts \(other) and \(id) have the same username in tenant \(user.tenant) (usernames are now unique across user stores and compared in RFC 8265 form); rename or remove one before upgrading")
                }
                holders[user.uniqueKey] = id
                try db.execute(sql: "UPDATE users SET user_key = ? WHERE id = ?", arguments: [user.uniqueKey, id])
            }
            try db.execute(sql: """
                CREATE TABLE associations (
                    id TEXT PRIMARY KEY NOT NULL,
                    federation TEXT NOT NULL UNIQUE,
                    user_id TEXT NOT NULL,
                    identity_provider TEXT NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX associations_user ON associations (user_id);
                CREATE INDEX associations_idp ON associations (identity_provider);
                """)
            // JIT-6 links made before associations existed become provisioned associations.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for row in try Row.fetchAll(db, sql: "SELECT data FROM users WHERE federation IS NOT NULL") {
                let user = try JSONDecoder().decode(User.self, from: row["data"] as Data)
                guard let link = user.federation else { continue }
                let association = FederatedAssociation(
                    id: UUID().uuidString.lowercased(), identityProvider: link.identityProvider, subject: link.subject, userID: user.id,
                    provisioned: true, associatedAt: Date())
                try db.execute(
                    sql: "INSERT INTO associations (id, federation, user_id, identity_provider, data) VALUES (?, ?, ?, ?, ?)",
                    arguments: [association.id, link.key, user.id, link.identityProvider, try encoder.encode(association)])
            }
        }
        migrator.registerMigration("v8: service providers found by their protocol sections' lookup keys") { db in
            // Core no longer knows SAML issuers or client IDs: each protocol section declares
            // the values its provider is found by, kept unique in one side table.
            try db.execute(sql: """
                CREATE TABLE service_provider_lookups (
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    PRIMARY KEY (field, value)
                );
                CREATE INDEX service_provider_lookups_owner ON service_provider_lookups (owner);
                INSERT INTO service_provider_lookups (field, value, owner)
                    SELECT 'saml.issuer', saml_issuer, name FROM service_providers WHERE saml_issuer IS NOT NULL;
                INSERT INTO service_provider_lookups (field, value, owner)
                    SELECT 'oidc.clientID', oidc_client_id, name FROM service_providers WHERE oidc_client_id IS NOT NULL;
                CREATE TABLE service_providers_v8 (
                    name TEXT PRIMARY KEY NOT NULL,
                    data BLOB NOT NULL
                );
                INSERT INTO service_providers_v8 (name, data) SELECT name, data FROM service_providers;
                DROP TABLE service_providers;
                ALTER TABLE service_providers_v8 RENAME TO service_providers;
                """)
        }
        migrator.registerMigration("v9: tokens found by the SSO session they came from") { db in
            // Logout revokes a session's tokens (SA-10). Tokens issued before know no session.
            try db.execute(sql: """
                ALTER TABLE tokens ADD COLUMN session_id TEXT;
                CREATE INDEX tokens_session ON tokens (session_id);
                """)
        }
        migrator.registerMigration("v10: sessions found by their person and by their federated login") { db in
            // The sessions API lists a person's sessions (AU-8); sessions stored before
            // get their user from the record, and came from no federated login that
            // federated logout could name (none was kept).
            try db.execute(sql: """
                ALTER TABLE sessions ADD COLUMN user_id TEXT;
                ALTER TABLE sessions ADD COLUMN federated_key TEXT;
                UPDATE sessions SET user_id = json_extract(CAST(data AS TEXT), '$.userID');
                CREATE INDEX sessions_user ON sessions (user_id);
                CREATE INDEX sessions_federated ON sessions (federated_key);
                """)
        }
        return migrator
    }
}
