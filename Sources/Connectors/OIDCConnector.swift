public import AuthFramework
public import Foundation
public import IdentityCore
import OIDC

/// OpenID Connect IdPs — a generic provider, Google, Microsoft: the code flow with PKCE
/// and a nonce; the ID token validated through the IdP's JWKS (key by `kid` and its
/// algorithm, `iss`, `aud`/`azp`, time window, nonce, `at_hash`); userinfo merged in when
/// the IdP has it, and only for the same subject.
public struct OIDCConnector: FederatedAuthenticator {
    let flow: OAuthCodeFlow
    let clock: any WallClock

    init(http: UpstreamHTTP, clock: any WallClock, random: any RandomSource) {
        self.flow = OAuthCodeFlow(http: http, random: random)
        self.clock = clock
    }

    public func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart {
        try flow.start(identityProvider, state: state, callbackURL: callbackURL, nonce: true)
    }

    public func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
        -> FederatedIdentity
    {
        let settings = try OAuthCodeFlow.settings(identityProvider)
        guard let issuer = settings.issuer else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth.issuer", detail: "an OpenID Connect IdP needs issuer and jwksURI")
        }
        let (code, login) = try flow.code(from: response, context: context)
        let tokens = try await flow.exchange(identityProvider, code: code, context: login, callbackURL: callbackURL)
        guard let idToken = tokens["id_token"]?.string, let accessToken = tokens["access_token"]?.string else {
            throw ConnectorError(.connectorResponseMalformed, field: "id_token", detail: "the token answer carries no ID token")
        }
        let keys = try await verificationKeys(settings)
        let (validated, _) = try await IDTokenValidator(issuer: issuer, clientID: settings.clientID, keys: keys, clock: clock)
            .validate(idToken, nonce: login.nonce, accessToken: accessToken)
        var claims = validated.claims
        claims["sub"] = .string(validated.sub)
        if let endpoint = settings.userInfoEndpoint {
            let info = try await flow.http.json("GET", endpoint, headers: [("Authorization", "Bearer \(accessToken)")], what: "userinfo")
            guard info["sub"]?.string == validated.sub else {
                throw ConnectorError(.connectorSubjectMismatch, field: "sub", value: info["sub"]?.string, detail: "userinfo names another subject than the ID token")
            }
            claims.merge(info) { fromToken, _ in fromToken }
        }
        let flattened = ClaimFlattening.flatten(claims)
        return FederatedIdentity(
            identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(flattened, claim: identityProvider.userIDClaim),
            claims: flattened,
            login: settings.endSessionEndpoint.map { _ in
                FederatedLogin(
                    identityProvider: identityProvider.name, nameID: validated.sub, nameIDFormat: nil, sessionIndex: validated.claims["sid"]?.string,
                    idToken: idToken)
            })
    }
}
