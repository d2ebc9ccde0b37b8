/// A protocol's part of a service provider's or identity provider's configuration (the
/// `saml:` or `oidc:` mapping of an application), owned by that protocol's module.
///
/// Core knows only that such sections exist, not what is in them: the way dex's
/// connectors carry their own configuration, each protocol module declares its section
/// type and the server hands the list of them to the decoders (`SectionRegistry`). So a
/// new protocol adds a section without touching Core, and every setting is a typed value
/// of the module that interprets it.
public protocol ConfigurationSection: Codable, Hashable, Sendable {
    /// The section's key in a configuration document and in the stored record.
    static var key: String { get }
}

/// A section of a service provider.
public protocol ServiceProviderSection: ConfigurationSection {
    /// Values a request names the application by (a SAML issuer, an OAuth client ID): each
    /// is unique among all service providers, and the store finds a provider by it.
    var lookupKeys: [ServiceProviderLookup] { get }
}

/// A section of an identity provider (how the server, as a client, talks to it).
public protocol IdentityProviderSection: ConfigurationSection {
    /// The section as the admin API shows it: secrets replaced.
    var redacted: Self { get }
}

extension IdentityProviderSection {
    public var redacted: Self { self }
}

/// One value a service provider is found by: `field` names what it is (`saml.issuer`,
/// reported when two providers claim the same value), `value` is the value.
public struct ServiceProviderLookup: Hashable, Sendable {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }
}
