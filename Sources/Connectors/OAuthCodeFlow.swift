import AuthFramework
import Foundation
import IdentityCore
import OIDC

/// What an OAuth login keeps between the redirect and the callback.
struct OAuthLoginContext: Codable {
    var state: String
    var nonce: String?
    var verifier: String?
}

/// The authorization-code steps every OAuth kind shares: the authorize URL (with PKCE
/// S256 and, for OpenID kinds, a nonce), the callback checks, and the code exchange with
/// the client's authentication.
struct OAuthCodeFlow: Sendable {
    let http: UpstreamHTTP
    let random: any RandomSource

    static func settings(_ idp: IdentityProvider) throws(ConnectorError) -> OAuthConnectorSettings {
        guard let settings = idp.oauth else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth", detail: "identity provider '\(idp.name)' has no oauth settings")
        }
        return settings
    }

    /// `scopeSeparator`: Facebook joins scopes with commas, everyone else with spaces.
    func start(_ idp: IdentityProvider, state: String, callbackURL: String, nonce: Bool, scopeSeparator: String = " ") throws -> FederatedStart {
        let settings = try Self.settings(idp)
        let context = OAuthLoginContext(state: state, nonce: nonce ? random.token() : nil, verifier: random.token() + random.token())
        var parameters: [(String, String)] = [
            ("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", callbackURL), ("state", state),
        ]
        if !settings.scopes.isEmpty { parameters.append(("scope", settings.scopes.joined(separator: scopeSeparator))) }
        if let nonce = context.nonce { parameters.append(("nonce", nonce)) }
        if let verifier = context.verifier {
            parameters += [("code_challenge", PKCE.s256(verifier)), ("code_challenge_method", "S256")]
        }
        let separator = settings.authorizationEndpoint.contains("?") ? "&" : "?"
        return FederatedStart(
            redirect: .redirect(settings.authorizationEndpoint + separator + URLEncoding.query(parameters)),
            context: try JSONEncoder().encode(context))
    }

    /// The callback's checks: the IdP's own refusal, the state, the code.
    func code(from response: [String: String], context data: Data) throws -> (code: String, context: OAuthLoginContext) {
        let context = try JSONDecoder().decode(OAuthLoginContext.self, from: data)
        guard ConstantTime.equals(response["state"] ?? "", context.state) else {
            throw ConnectorError(.connectorStateMismatch, field: "state", detail: "the answer's state is not the one this login sent")
        }
        if let error = response["error"] {
            throw AuthError(.authFederatedDenied, value: error, detail: "the identity provider answered \(error): \(response["error_description"] ?? "")")
        }
        guard let code = response["code"], !code.isEmpty else {
            throw ConnectorError(.connectorResponseMalformed, field: "code", detail: "the answer carries neither a code nor an error")
        }
        return (code, context)
    }

    /// POSTs the code to the token endpoint with the client's authentication and returns
    /// the JSON answer. `extraHeaders` e.g. GitHub's `Accept: application/json`.
    func exchange(_ idp: IdentityProvider, code: String, context: OAuthLoginContext, callbackURL: String, extraHeaders: [(String, String)] = [])
        async throws -> [String: ClaimValue]
    {
        let settings = try Self.settings(idp)
        var form: [(String, String)] = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callbackURL)]
        if let verifier = context.verifier { form.append(("code_verifier", verifier)) }
        var headers = extraHeaders
        let secret = settings.clientSecret ?? ""
        if settings.tokenEndpointAuthMethod == .clientSecretPost {
            form += [("client_id", settings.clientID), ("client_secret", secret)]
        } else {
            headers.append(("Authorization", BasicCredentials(username: settings.clientID, password: secret).header(formEncoded: true)))
        }
        let answer = try await http.send("POST", settings.tokenEndpoint, headers: headers + [("Accept", "application/json")], form: form)
        return try Self.tokenAnswer(answer)
    }

    /// A token answer: an access token, or the endpoint's OAuth error (GitHub answers
    /// errors with HTTP 200).
    static func tokenAnswer(_ answer: UpstreamHTTP.Answer) throws -> [String: ClaimValue] {
        guard let json = answer.json else {
            throw ConnectorError(.connectorResponseMalformed, detail: "the token endpoint answered HTTP \(answer.status) without JSON")
        }
        if case .string(let error)? = json["error"] {
            throw ConnectorError(.connectorTokenRefused, value: error, detail: "the token endpoint refused the code: \(error)")
        }
        if case .object(let graph)? = json["error"] {
            throw ConnectorError(.connectorTokenRefused, value: graph["type"]?.string ?? "error", detail: "the token endpoint refused the code: \(graph["message"]?.string ?? "")")
        }
        guard answer.status == 200, json["access_token"]?.string?.isEmpty == false else {
            throw ConnectorError(.connectorResponseMalformed, field: "access_token", detail: "the token endpoint answered HTTP \(answer.status) without an access token")
        }
        return json
    }
}
