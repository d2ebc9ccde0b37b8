import Foundation
import GRDB
import IdentityCore
import IdentityStorage

/// SQLite's tables for the aggregates, laid out as the migrations made them; the stores
/// themselves are the shared ``DocumentStores`` ones.
enum SQLiteTables {
    static func serviceProviders(writer: any DatabaseWriter, sections: SectionRegistry) -> SQLiteTable<ServiceProvider> {
        var table = SQLiteTable<ServiceProvider>(
            writer: writer, table: "service_providers", what: "service provider",
            primary: .init(name: "name", field: "name", read: { $0.name }), uniques: [])
        table.lookups = .init(table: "service_provider_lookups", read: { $0.lookupKeys })
        table.userInfo = sections.userInfo
        return table
    }

    static func users(writer: any DatabaseWriter) -> SQLiteTable<User> {
        SQLiteTable(
            writer: writer, table: "users", what: "user",
            primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [
                .init(name: "user_key", field: "username", read: { $0.uniqueKey }),
                .init(name: "federation", field: "federation", read: { $0.federation?.key }),
            ])
    }

    static func associations(writer: any DatabaseWriter) -> SQLiteTable<FederatedAssociation> {
        SQLiteTable(
            writer: writer, table: "associations", what: "association",
            primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [.init(name: "federation", field: "federation", read: { $0.account.key })],
            indexed: [
                .init(name: "user_id", field: "userID", read: { $0.userID }),
                .init(name: "identity_provider", field: "identityProvider", read: { $0.identityProvider }),
            ])
    }

    static func sessions(writer: any DatabaseWriter) -> SQLiteTable<SSOSession> {
        SQLiteTable(
            writer: writer, table: "sessions", what: "session",
            primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [],
            indexed: [
                .init(name: "user_id", field: "userID", read: { $0.userID }),
                .init(name: "federated_key", field: "federatedLogin", read: { $0.federatedLogin?.key }),
            ])
    }

    static func flows(writer: any DatabaseWriter) -> SQLiteTable<AuthenticationFlowState> {
        SQLiteTable(writer: writer, table: "flows", what: "flow", primary: .init(name: "id", field: "id", read: { $0.id }), uniques: [])
    }

    static func identityProviders(writer: any DatabaseWriter, sections: SectionRegistry) -> SQLiteTable<IdentityProvider> {
        var table = SQLiteTable<IdentityProvider>(
            writer: writer, table: "identity_providers", what: "identity provider", primary: .init(name: "name", field: "name", read: { $0.name }),
            uniques: [])
        table.userInfo = sections.userInfo
        return table
    }

    static func consents(writer: any DatabaseWriter) -> SQLiteTable<ConsentReceipt> {
        SQLiteTable(
            writer: writer, table: "consents", what: "consent receipt", primary: .init(name: "id", field: "id", read: { $0.id }),
            uniques: [.init(name: "user_sp", field: "serviceProvider", read: { "\($0.userID)/\($0.serviceProvider)" })],
            indexed: [.init(name: "user_id", field: "userID", read: { $0.userID })])
    }
}
