/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
public struct TokenResponse: Codable, Sendable, Equatable {
    public var access_token: String
    public var token_type: String
    public var expires_in: Int
    public var refresh_token: String?
    public var id_token: String?
    public var scope: String?
    /// RFC 8693 §2.2.1: what a token exchange issued.
    public var issued_token_type: String?
}
