import Foundation

/// A service provider (application) registered in the identity server.
///
/// This one value is what the YAML loader and the admin REST API both produce (SP-4):
/// both decode the same document shape into it, so there is no second representation to
/// drift. Protocol settings are plain values here; the protocol modules interpret them.
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
    /// SAML 2.0 Web SSO inbound settings; nil when the application does not speak SAML.
    public var saml: SAMLSettings?
    /// OAuth 2.0 / OpenID Connect inbound settings; nil when it does not speak OIDC.
    public var oidc: OIDCSettings?
    /// Which claims the application asks for and how they are named for it.
    public var claims: ClaimConfiguration
    /// How people log in to it (AU-1); the server's default (AU-3) when nil.
    public var sequence: AuthenticationSequence?

    public init(
        name: String, description: String? = nil, tenant: String = Tenant.superTenant, saas: Bool = false,
        certificate: String? = nil, saml: SAMLSettings? = nil, oidc: OIDCSettings? = nil,
        claims: ClaimConfiguration = ClaimConfiguration(), sequence: AuthenticationSequence? = nil
    ) {
        self.name = name
        self.description = description
        self.tenant = tenant
        self.saas = saas
        self.certificate = certificate
        self.saml = saml
        self.oidc = oidc
        self.claims = claims
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, tenant, saas, certificate, saml, oidc, claims, sequence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant) ?? Tenant.superTenant
        saas = try c.decodeIfPresent(Bool.self, forKey: .saas) ?? false
        certificate = try c.decodeIfPresent(String.self, forKey: .certificate)
        saml = try c.decodeIfPresent(SAMLSettings.self, forKey: .saml)
        oidc = try c.decodeIfPresent(OIDCSettings.self, forKey: .oidc)
        claims = try c.decodeIfPresent(ClaimConfiguration.self, forKey: .claims) ?? ClaimConfiguration()
        sequence = try c.decodeIfPresent(AuthenticationSequence.self, forKey: .sequence)
    }

    /// The sequence in force: the SP's own, else the default (AU-3).
    public var effectiveSequence: AuthenticationSequence { sequence ?? .default }
}
