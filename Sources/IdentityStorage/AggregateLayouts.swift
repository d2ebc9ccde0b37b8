public import IdentityCore

/// How every SQL backend lays out the aggregates' tables: the key columns each has beside
/// the record's JSON, declared once so SQLite's and PostgreSQL's tables cannot drift apart
/// (the column names are also what ``DocumentStores`` query by).
public enum AggregateLayouts {
    public static let serviceProviders = RecordLayout<ServiceProvider>(
        table: "service_providers", what: "service provider", primary: .init(name: "name", field: "name", read: { $0.name }))
    /// A service provider's lookup keys (a SAML issuer, an OAuth client ID): a side table
    /// of `(field, value)` unique pairs naming their `owner`.
    public static let serviceProviderLookups = "service_provider_lookups"

    public static let users = RecordLayout<User>(
        table: "users", what: "user", primary: .init(name: "id", field: "id", read: { $0.id }),
        unique: [
            .init(name: "user_key", field: "username", read: { $0.uniqueKey }),
            .init(name: "federation", field: "federation", read: { $0.federation?.key }),
        ])

    public static let associations = RecordLayout<FederatedAssociation>(
        table: "associations", what: "association", primary: .init(name: "id", field: "id", read: { $0.id }),
        unique: [.init(name: "federation", field: "federation", read: { $0.account.key })],
        indexed: [
            .init(name: "user_id", field: "userID", read: { $0.userID }),
            .init(name: "identity_provider", field: "identityProvider", read: { $0.identityProvider }),
        ])

    public static let sessions = RecordLayout<SSOSession>(
        table: "sessions", what: "session", primary: .init(name: "id", field: "id", read: { $0.id }),
        indexed: [
            .init(name: "user_id", field: "userID", read: { $0.userID }),
            .init(name: "federated_key", field: "federatedLogin", read: { $0.federatedLogin?.key }),
        ])

    public static let flows = RecordLayout<AuthenticationFlowState>(
        table: "flows", what: "flow", primary: .init(name: "id", field: "id", read: { $0.id }))

    public static let identityProviders = RecordLayout<IdentityProvider>(
        table: "identity_providers", what: "identity provider", primary: .init(name: "name", field: "name", read: { $0.name }))

    public static let consents = RecordLayout<ConsentReceipt>(
        table: "consents", what: "consent receipt", primary: .init(name: "id", field: "id", read: { $0.id }),
        unique: [.init(name: "user_sp", field: "serviceProvider", read: { "\($0.userID)/\($0.serviceProvider)" })],
        indexed: [.init(name: "user_id", field: "userID", read: { $0.userID })])
}
