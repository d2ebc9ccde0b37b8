/// `client_credentials` (RFC 6749 §4.4): an application token, no refresh token, no ID
/// token, the application access token lifetime (OA-4).
struct ClientCredentialsGrant: Grant {
    let type = "client_credentials"
    let allowsPublicClients = false

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        let scopes = try await context.knownScopes(request["scope"], client: client.settings, person: false).filter { $0 != "openid" }
        return try await TokenIssuer(context: context).issue(
            .init(client: client, user: nil, subject: nil, scopes: scopes, grantID: context.random.token(), authTime: nil, nonce: nil),
            refresh: false, idToken: false)
    }
}
