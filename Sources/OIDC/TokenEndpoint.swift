/// The token endpoint (RFC 6749 §3.2): authenticate the client, check it may use the
/// grant (OA-2), run the grant. Errors are `OAuthError`s the HTTP layer renders as JSON.
public struct TokenEndpoint: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func respond(to request: TokenRequest) async throws -> TokenResponse {
        guard let type = request["grant_type"] else {
            throw OAuthError(.oauthInvalidRequest, field: "grant_type", detail: "grant_type is required")
        }
        let client = try await ClientAuthenticator(context: context).authenticate(request)
        guard let grant = Grants.all[type] else {
            throw OAuthError(.oauthUnsupportedGrantType, field: "grant_type", value: type, detail: "unsupported grant_type")
        }
        guard client.settings.allows(grant: grant.name) else {
            throw OAuthError(.oauthUnauthorizedClient, field: "grant_type", value: type, detail: "this client may not use the \(type) grant")
        }
        guard !client.settings.revoked else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this application has been revoked; regenerate its secret to use it again")
        }
        guard client.method != "none" || grant.allowsPublicClients else {
            throw OAuthError(.oauthUnauthorizedClient, field: "grant_type", value: type, detail: "a public client may not use this grant")
        }
        return try await grant.respond(to: request, client: client, context: context)
    }
}
