import Foundation

/// A service provider (application) registered in the identity server.
///
/// This one value is what the YAML loader and the admin REST API both produce (SP-4):
/// both decode the same document shape into it, so there is no second representation to
/// drift. Protocol settings are sections owned by the protocol modules (`sp.saml` comes
/// from SAML, `sp.oidc` from OIDC); Core carries them without knowing them.
public struct ServiceProvider: Codable, Hashable, Sendable {
    /// Unique name (SP-1).
    public var name: String
    public var description: String?
    /// The tenant that owns the application.
    public var tenant: String
    /// SP-3: when on, users of every tenant may log in; when off, only the owner tenant's.
    public var saas: Bool
    /// SP-2: the application's certificate (PEM), used to verify its signed requests.
    public var certificate: String?
    /// The inbound protocols it speaks, each with its settings.
    public var sections: Sections
    /// Which claims the application asks for and how they are named for it.
    public var claims: ClaimConfiguration
    /// How people log in to it (AU-1); the server's default (AU-3) when nil.
    public var sequence: AuthenticationSequence?

    public init(
        name: String, description: String? = nil, tenant: String = Tenant.superTenant, saas: Bool = false,
        certificate: String? = nil, sections: [any ServiceProviderSection] = [],
        claims: ClaimConfiguration = ClaimConfiguration(), sequence: AuthenticationSequence? = nil
    ) {
        self.name = name
        self.description = description
        self.tenant = tenant
        self.saas = saas
        self.certificate = certificate
        self.sections = Sections(sections)
        self.claims = claims
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, tenant, saas, certificate, claims, sequence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant) ?? Tenant.superTenant
        saas = try c.decodeIfPresent(Bool.self, forKey: .saas) ?? false
        certificate = try c.decodeIfPresent(String.self, forKey: .certificate)
        claims = try c.decodeIfPresent(ClaimConfiguration.self, forKey: .claims) ?? ClaimConfiguration()
        sequence = try c.decodeIfPresent(AuthenticationSequence.self, forKey: .sequence)
        sections = try Sections.decode(
            from: decoder, keyedBy: ServiceProviderSectionKey.self, coreKeys: Set(CodingKeys.allCases.map(\.rawValue)),
            types: SectionRegistry.from(decoder)?.serviceProviderSections ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(tenant, forKey: .tenant)
        try c.encode(saas, forKey: .saas)
        try c.encodeIfPresent(certificate, forKey: .certificate)
        try c.encode(claims, forKey: .claims)
        try c.encodeIfPresent(sequence, forKey: .sequence)
        try sections.encode(to: encoder, keyedBy: ServiceProviderSectionKey.self)
    }

    /// The section of type `S`, if the application speaks that protocol.
    public subscript<S: ServiceProviderSection>(section type: S.Type) -> S? {
        get { sections[type] }
        set { sections[type] = newValue }
    }

    /// Every value a request may name this application by (see `ServiceProviderLookup`).
    public var lookupKeys: [ServiceProviderLookup] {
        sections.all.flatMap { ($0 as? any ServiceProviderSection)?.lookupKeys ?? [] }
    }

    /// The sequence in force: the SP's own, else the default (AU-3).
    public var effectiveSequence: AuthenticationSequence { sequence ?? .default }
}
