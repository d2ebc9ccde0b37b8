public import AsyncHTTPClient
public import AuthFramework
public import IdentityCore
public import IdentityStorage
public import XMLSecurity

/// The connector of every IdP kind (FE-1), assembled for a server.
public enum Connectors {
    /// `client` carries the back-channel calls (token, JWKS, userinfo), each given
    /// `timeout` in all; `credential` signs SAML AuthnRequests for IdPs that want them signed.
    public static func registry(
        client: HTTPClient, clock: any WallClock, random: any RandomSource, replays: any ReplayStore, entityID: String,
        credential: SigningCredential?, timeout: Duration = .seconds(10)
    ) -> ConnectorRegistry {
        let http = UpstreamHTTP(client: client, timeout: timeout)
        let oidc = OIDCConnector(http: http, clock: clock, random: random)
        return ConnectorRegistry([
            .oidc: oidc, .google: oidc, .microsoft: oidc,
            .facebook: FacebookConnector(http: http, random: random),
            .github: GitHubConnector(http: http, random: random),
            .saml: SAMLConnector(clock: clock, random: random, replays: replays, entityID: entityID, credential: credential),
        ])
    }
}
