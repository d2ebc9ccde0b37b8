public import IdentityCore

/// The request and what the checks so far have established about it.
public struct AuthorizationDraft: Sendable {
    public let request: AuthorizationRequest
    public var client: ServiceProvider?
    public var settings: OIDCSettings?
    public var redirectURI: String?
    public var responseTypes: [String] = []
    public var responseMode = "query"
    public var scopes: [String] = []
    public var knownScopes: Set<String>
    public var codeChallenge: (challenge: String, method: String)?
    public var prompt: [String] = []
    public var maxAge: Int?

    public init(request: AuthorizationRequest, client: ServiceProvider?, knownScopes: Set<String>) {
        self.request = request
        self.client = client
        self.settings = client?.oidc
        self.knownScopes = knownScopes
    }
}

/// One rule of the authorize endpoint. Checks run in a fixed order; until the redirect
/// URI has been established a failure can only be shown as a page.
public protocol AuthorizeCheck: Sendable {
    /// True once the redirect URI is trusted (failures are redirected).
    var redirectIsTrusted: Bool { get }
    func check(_ draft: inout AuthorizationDraft) throws(OAuthError)
}
