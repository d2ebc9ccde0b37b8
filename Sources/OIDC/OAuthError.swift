public import IdentityCore

/// An OAuth 2.0 / OpenID Connect error: the stable code is `oauth.<error>` (the
/// registered `error` value of RFC 6749 §4.1.2.1/§5.2, RFC 8628 §3.5, OIDC Core §3.1.2.6),
/// and the detail becomes `error_description`.
public enum OAuthArea: ErrorArea {}
public typealias OAuthError = CodedFailure<OAuthArea>

extension OAuthError {
    /// The `error` parameter value (`invalid_grant`).
    public var error: String {
        code.rawValue.hasPrefix("oauth.") ? String(code.rawValue.dropFirst(6)) : "server_error"
    }

    /// The HTTP status for a JSON error answer (RFC 6749 §5.2; RFC 6750 §3.1).
    public var status: Int {
        switch code {
        case .oauthInvalidClient, .oauthInvalidToken: 401
        case .oauthServerError: 500
        default: 400
        }
    }
}

extension ErrorCode {
    public static let oauthInvalidRequest: ErrorCode = "oauth.invalid_request"
    public static let oauthInvalidClient: ErrorCode = "oauth.invalid_client"
    public static let oauthInvalidGrant: ErrorCode = "oauth.invalid_grant"
    public static let oauthUnauthorizedClient: ErrorCode = "oauth.unauthorized_client"
    public static let oauthUnsupportedGrantType: ErrorCode = "oauth.unsupported_grant_type"
    public static let oauthUnsupportedResponseType: ErrorCode = "oauth.unsupported_response_type"
    public static let oauthInvalidScope: ErrorCode = "oauth.invalid_scope"
    public static let oauthAccessDenied: ErrorCode = "oauth.access_denied"
    public static let oauthServerError: ErrorCode = "oauth.server_error"
    public static let oauthLoginRequired: ErrorCode = "oauth.login_required"
    public static let oauthInteractionRequired: ErrorCode = "oauth.interaction_required"
    public static let oauthInvalidToken: ErrorCode = "oauth.invalid_token"
    public static let oauthAuthorizationPending: ErrorCode = "oauth.authorization_pending"
    public static let oauthSlowDown: ErrorCode = "oauth.slow_down"
    public static let oauthExpiredToken: ErrorCode = "oauth.expired_token"
    /// The authorize request names no registered client or an unregistered redirect URI:
    /// nothing can be sent back, so it is shown as an error page (OA-1).
    public static let oauthRedirectURIMismatch: ErrorCode = "oauth.redirect_uri_mismatch"
    public static let oauthUnknownClient: ErrorCode = "oauth.unknown_client"
}
