public import IdentityCore
import Connectors
import OIDC
import Provisioning
import SAML

extension SectionRegistry {
    /// The protocol sections this server's providers carry: SAML and OIDC inbound, the
    /// OAuth and SAML connectors outbound. Every decoder of providers (configuration
    /// files, the admin API, the SQLite backend) gets this one list.
    public static let server = SectionRegistry(
        serviceProviderSections: [SAMLSettings.self, OIDCSettings.self, OutboundProvisioningSettings.self],
        identityProviderSections: [OAuthConnectorSettings.self, SAMLConnectorSettings.self, SCIMTargetSettings.self])
}
