/// `password` (RFC 6749 §4.3), for the clients allowed it: the server checks the
/// credentials as its login form would, with the same single failure for unknown users.
struct PasswordGrant: Grant {
    let type = "password"
    let allowsPublicClients = false

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let username = request["username"], let password = request["password"] else {
            throw OAuthError(.oauthInvalidRequest, detail: "username and password are required")
        }
        guard let user = try await context.authenticate(username, password, client.serviceProvider, request.clientAddress) else {
            throw OAuthError(.oauthInvalidGrant, detail: "the username or password is wrong")
        }
        let scopes = try await context.knownScopes(request["scope"], client: client.settings)
        return try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: user, subject: try await context.subject(user, client.serviceProvider), scopes: scopes,
                grantID: context.random.token(), authTime: context.clock.now, nonce: nil),
            refresh: true, idToken: true)
    }
}
