/// One grant type of the token endpoint (RFC 6749 §4, RFC 8628 §3.4).
public protocol Grant: Sendable {
    /// The `grant_type` value on the wire.
    var type: String { get }
    /// The name an SP's allowed grant types use (OA-2): `authorization_code`, `device_code`…
    var name: String { get }
    /// Whether a public client (no authentication) may use it.
    var allowsPublicClients: Bool { get }
    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse
}

extension Grant {
    public var name: String { type }
}

/// The grants this server implements, by `grant_type`.
public enum Grants {
    static let list: [any Grant] = [
        AuthorizationCodeGrant(), RefreshTokenGrant(), ClientCredentialsGrant(), PasswordGrant(), DeviceCodeGrant(),
        AssertionGrant(kind: .jwt), AssertionGrant(kind: .saml2), TokenExchangeGrant(),
    ]

    public static let all: [String: any Grant] = Dictionary(uniqueKeysWithValues: list.map { ($0.type, $0) })
}
