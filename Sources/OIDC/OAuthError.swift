public import IdentityCore

/// An OAuth 2.0 / OpenID Connect error: the stable code is `oauth.<error>` (the
/// registered `error` value of RFC 6749 §4.1.2.1/§5.2, RFC 8628 §3.5, OIDC Core §3.1.2.6);
/// `error_description` is the catalogue's public message, and the detail stays in the log.
public enum OAuthArea: ErrorArea {
    public static let codeAreas: Set<String> = ["oauth"]
}
public typealias OAuthError = CodedFailure<OAuthArea>

extension OAuthError {
    /// The `error` parameter value (`invalid_grant`), from the catalogue.
    public var error: String {
        code.oauthError ?? "server_error"
    }

    /// The HTTP status for a JSON error answer (RFC 6749 §5.2; RFC 6750 §3.1), from the catalogue.
    public var status: Int { code.status }
}
