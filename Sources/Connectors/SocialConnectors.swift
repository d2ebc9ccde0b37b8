public import AuthFramework
public import Foundation
public import IdentityCore
import OIDC

/// Facebook Login: the code exchanged at the Graph token endpoint (GET, client secret in
/// the query, as Facebook documents), then `/me?fields=…` for the person.
public struct FacebookConnector: FederatedAuthenticator {
    let flow: OAuthCodeFlow

    init(http: UpstreamHTTP, random: any RandomSource) {
        self.flow = OAuthCodeFlow(http: http, random: random)
    }

    public func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart {
        try flow.start(identityProvider, state: state, callbackURL: callbackURL, nonce: false, scopeSeparator: ",")
    }

    public func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
        -> FederatedIdentity
    {
        let settings = try OAuthCodeFlow.settings(identityProvider)
        let (code, login) = try flow.code(from: response, context: context)
        var query: [(String, String)] = [
            ("client_id", settings.clientID), ("redirect_uri", callbackURL), ("client_secret", settings.clientSecret ?? ""), ("code", code),
        ]
        if let verifier = login.verifier { query.append(("code_verifier", verifier)) }
        let tokens = try OAuthCodeFlow.tokenAnswer(try await flow.http.send("GET", settings.tokenEndpoint + "?" + URLEncoding.query(query)))
        guard let accessToken = tokens["access_token"]?.string, let endpoint = settings.userInfoEndpoint else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth.userInfoEndpoint", detail: "Facebook needs its Graph /me endpoint")
        }
        let fields = settings.userInfoFields.isEmpty ? ["id", "name", "email"] : settings.userInfoFields
        let me = try await flow.http.json(
            "GET", endpoint + "?" + URLEncoding.query([("fields", fields.joined(separator: ","))]),
            headers: [("Authorization", "Bearer \(accessToken)")], what: "Graph /me")
        let claims = ClaimFlattening.flatten(me)
        return FederatedIdentity(
            identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(claims, claim: identityProvider.userIDClaim), claims: claims)
    }
}

/// GitHub: the code exchanged for a token (JSON asked for; errors come with HTTP 200),
/// then `/user`, and `/user/emails` for the primary verified address when the profile
/// keeps its email private.
public struct GitHubConnector: FederatedAuthenticator {
    let flow: OAuthCodeFlow

    init(http: UpstreamHTTP, random: any RandomSource) {
        self.flow = OAuthCodeFlow(http: http, random: random)
    }

    public func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart {
        try flow.start(identityProvider, state: state, callbackURL: callbackURL, nonce: false)
    }

    public func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
        -> FederatedIdentity
    {
        let settings = try OAuthCodeFlow.settings(identityProvider)
        let (code, login) = try flow.code(from: response, context: context)
        let tokens = try await flow.exchange(identityProvider, code: code, context: login, callbackURL: callbackURL)
        guard let accessToken = tokens["access_token"]?.string, let endpoint = settings.userInfoEndpoint else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth.userInfoEndpoint", detail: "GitHub needs its /user endpoint")
        }
        let headers = [("Authorization", "Bearer \(accessToken)"), ("Accept", "application/vnd.github+json")]
        var user = try await flow.http.json("GET", endpoint, headers: headers, what: "GitHub /user")
        if user["email"]?.string?.isEmpty ?? true, let emailsEndpoint = settings.emailsEndpoint {
            let answer = try await flow.http.send("GET", emailsEndpoint, headers: headers)
            let emails = (try? JSONDecoder().decode([[String: ClaimValue]].self, from: answer.body)) ?? []
            if let primary = emails.first(where: { $0["primary"] == .bool(true) && $0["verified"] == .bool(true) }), let email = primary["email"] {
                user["email"] = email
            }
        }
        let claims = ClaimFlattening.flatten(user)
        return FederatedIdentity(
            identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(claims, claim: identityProvider.userIDClaim), claims: claims)
    }
}
