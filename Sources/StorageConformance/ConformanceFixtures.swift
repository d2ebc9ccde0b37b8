public import IdentityCore
public import IdentityStorage
import Foundation

/// Sections and records of an imaginary protocol: storage must keep any protocol's data
/// without knowing it, so the checks use none of the real ones.
public enum ConformanceFixtures {
    /// What a backend's decoder must be given to read providers the checks store.
    public static let sections = SectionRegistry(
        serviceProviderSections: [EntrySection.self, ClientSection.self], identityProviderSections: [ConnectionSection.self])
}

/// A service provider section found by its issuer and by each alias.
struct EntrySection: ServiceProviderSection {
    static let key = "entry"
    var issuer: String
    var aliases: [String] = []

    var lookupKeys: [ServiceProviderLookup] {
        [.init(field: "entry.issuer", value: issuer)] + aliases.map { .init(field: "entry.alias", value: $0) }
    }
}

/// A second service provider section, found by its client ID.
struct ClientSection: ServiceProviderSection {
    static let key = "client"
    var id: String

    var lookupKeys: [ServiceProviderLookup] { [.init(field: "client.id", value: id)] }
}

/// An identity provider section with a secret the admin API would hide.
struct ConnectionSection: IdentityProviderSection {
    static let key = "connection"
    var endpoint: String
    var secret: String

    var redacted: ConnectionSection {
        var copy = self
        copy.secret = "***"
        return copy
    }
}

/// A record a protocol module keeps: unique by `code`, looked up by `group`.
struct GrantRecord: StoredRecord, Hashable {
    static let layout = RecordLayout<Self>(
        table: "conformance_grants", what: "grant", primary: .init(name: "id", field: "id", read: { $0.id }),
        unique: [.init(name: "code", field: "code", read: { $0.code })],
        indexed: [.init(name: "grant_group", field: "group", read: { $0.group })])

    var id: String
    var code: String?
    var group: String
    var used = false
    var issuedAt: Date
}
