public import IdentityCore
import Connectors
import OIDC
import SAML

extension SectionRegistry {
    /// The protocol sections this server's providers carry: SAML and OIDC inbound, the
    /// OAuth and SAML connectors outbound. Every decoder of providers (configuration
    /// files, the admin API, the SQLite backend) gets this one list.
    public static let server = SectionRegistry(
        serviceProviderSections: [SAMLSettings.self, OIDCSettings.self],
        identityProviderSections: [OAuthConnectorSettings.self, SAMLConnectorSettings.self])
}
