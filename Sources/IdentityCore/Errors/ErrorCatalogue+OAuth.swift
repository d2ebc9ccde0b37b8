/// The error catalogue: `oauth.*` — OAuth 2.0 / OpenID Connect (the registered `error` values).
extension ErrorCode {
    public static let oauthInvalidRequest = ErrorCode(
        "oauth.invalid_request", status: 400, oauth: "invalid_request",
        message: "The request is missing a parameter, repeats one, or is otherwise malformed.",
        summary: "RFC 6749 §5.2 invalid_request.")
    public static let oauthInvalidClient = ErrorCode(
        "oauth.invalid_client", status: 401, oauth: "invalid_client",
        message: "Client authentication failed.",
        summary: "Unknown client, wrong secret, or a client assertion that does not verify.")
    public static let oauthInvalidGrant = ErrorCode(
        "oauth.invalid_grant", status: 400, oauth: "invalid_grant",
        message: "The grant is invalid, expired, revoked, or was issued to another client.",
        summary: "A code, refresh token, device code or password that cannot be used.")
    public static let oauthUnauthorizedClient = ErrorCode(
        "oauth.unauthorized_client", status: 400, oauth: "unauthorized_client",
        message: "This client may not use this grant type.",
        summary: "OA-2: a grant type the client is not allowed.")
    public static let oauthUnsupportedGrantType = ErrorCode(
        "oauth.unsupported_grant_type", status: 400, oauth: "unsupported_grant_type",
        message: "This grant type is not supported.",
        summary: "A grant type this server does not have.")
    public static let oauthUnsupportedResponseType = ErrorCode(
        "oauth.unsupported_response_type", status: 400, oauth: "unsupported_response_type",
        message: "This response type is not supported.",
        summary: "A response_type outside the registered combinations.")
    public static let oauthInvalidScope = ErrorCode(
        "oauth.invalid_scope", status: 400, oauth: "invalid_scope",
        message: "The requested scope is invalid.",
        summary: "An unknown scope, or a refresh that widens the scope.")
    public static let oauthAccessDenied = ErrorCode(
        "oauth.access_denied", status: 400, oauth: "access_denied",
        message: "The request was denied.",
        summary: "The person or the server refused.")
    public static let oauthInvalidToken = ErrorCode(
        "oauth.invalid_token", status: 401, oauth: "invalid_token",
        message: "The access token is invalid, expired or revoked.",
        summary: "RFC 6750 §3.1: userinfo with a token that cannot be used.")
    public static let oauthAuthorizationPending = ErrorCode(
        "oauth.authorization_pending", status: 400, oauth: "authorization_pending",
        message: "The user has not answered yet.",
        summary: "RFC 8628: the device code is not yet approved.")
    public static let oauthSlowDown = ErrorCode(
        "oauth.slow_down", status: 400, oauth: "slow_down",
        message: "Poll less often.",
        summary: "RFC 8628: polled faster than the interval.")
    public static let oauthExpiredToken = ErrorCode(
        "oauth.expired_token", status: 400, oauth: "expired_token",
        message: "The device code has expired.",
        summary: "RFC 8628: the device code expired.")
    public static let oauthRedirectURIMismatch = ErrorCode(
        "oauth.redirect_uri_mismatch", status: 400,
        message: "The application asked to be answered at an address it has not registered.",
        summary: "OA-1: an unregistered redirect URI; shown as a page, never redirected to.")
    public static let oauthAssertionUntrusted = ErrorCode(
        "oauth.assertion_untrusted", status: 400, oauth: "invalid_grant",
        message: "The assertion is not from an issuer this server trusts, or its signature does not verify.",
        summary: "OA-2, RFC 7522/7523: a bearer assertion whose issuer is no registered identity provider, or not signed by its key.")
    public static let oauthAssertionAudienceMismatch = ErrorCode(
        "oauth.assertion_audience_mismatch", status: 400, oauth: "invalid_grant",
        message: "The assertion is not addressed to this authorization server.",
        summary: "OA-2, RFC 7522/7523 §3: aud/Audience is not the token endpoint (or issuer), or Recipient is not the token endpoint.")
    public static let oauthAssertionExpired = ErrorCode(
        "oauth.assertion_expired", status: 400, oauth: "invalid_grant",
        message: "The assertion has expired, is not valid yet, or is valid for too long.",
        summary: "OA-2, RFC 7522/7523 §3: outside its time window, or a lifetime beyond the server's limit (one hour).")
    public static let oauthAssertionReplayed = ErrorCode(
        "oauth.assertion_replayed", status: 400, oauth: "invalid_grant",
        message: "The assertion was already used.",
        summary: "OA-2: a bearer assertion (its jti, or its Assertion ID) presented a second time.")
    public static let oauthAssertionInvalid = ErrorCode(
        "oauth.assertion_invalid", status: 400, oauth: "invalid_grant",
        message: "The assertion is malformed or incomplete.",
        summary: "OA-2: a bearer assertion that is not a JWT / SAML assertion, or lacks a subject, jti or bearer confirmation.")
    public static let oauthSubjectTokenInvalid = ErrorCode(
        "oauth.subject_token_invalid", status: 400, oauth: "invalid_request",
        message: "The subject token is invalid, expired, revoked, or was not issued to this client.",
        summary: "OA-2, RFC 8693 §2.2.2: a token exchange whose subject_token cannot be used by this client.")
    public static let oauthInvalidTarget = ErrorCode(
        "oauth.invalid_target", status: 400, oauth: "invalid_target",
        message: "The requested audience is not an application this client may obtain tokens for.",
        summary: "OA-2, RFC 8693 §2.2.2: a token exchange for an audience that is not among the client's tokenExchangeAudiences, or an ID token for another client.")
    public static let oauthTemporarilyUnavailable = ErrorCode(
        "oauth.temporarily_unavailable", status: 503, oauth: "temporarily_unavailable",
        message: "The server cannot complete this request now; try again later.",
        summary: "An identity provider the request depends on (its JWKS) could not be reached.")
    public static let oauthInvalidRequestObject = ErrorCode(
        "oauth.invalid_request_object", status: 400, oauth: "invalid_request_object",
        message: "The signed authorization request is invalid, or missing where this application must send one.",
        summary: "SP-2, RFC 9101: a request object not signed by the application's key (or alg none), expired, for another audience or client, contradicting the request, or absent for a client that requires one.")
    public static let oauthInvalidRequestURI = ErrorCode(
        "oauth.invalid_request_uri", status: 400, oauth: "invalid_request_uri",
        message: "The pushed authorization request is unknown, expired, already used, or belongs to another application.",
        summary: "RFC 9126: a request_uri from the pushed authorization request endpoint that cannot be used (single use, 60 seconds).")
    public static let oauthRequestURINotSupported = ErrorCode(
        "oauth.request_uri_not_supported", status: 400, oauth: "request_uri_not_supported",
        message: "Only request URIs from this server's pushed authorization request endpoint are accepted.",
        summary: "OIDC Core §6.2: a request_uri to fetch from elsewhere — never fetched (no server-side requests to URLs a client names).")
    public static let oauthPushedRequestRequired = ErrorCode(
        "oauth.pushed_request_required", status: 400, oauth: "invalid_request",
        message: "This application must push its authorization requests first.",
        summary: "RFC 9126 §6: an authorization request sent directly by a client that requires pushed authorization requests.")
    public static let oauthUnknownClient = ErrorCode(
        "oauth.unknown_client", status: 400,
        message: "The application that sent you here is not registered.",
        summary: "The authorize request names no registered client; shown as a page.")
}

extension ErrorCatalogue {
    static let oauth: [ErrorCode] = [
        .oauthInvalidRequest, .oauthInvalidClient, .oauthInvalidGrant, .oauthUnauthorizedClient,
        .oauthUnsupportedGrantType, .oauthUnsupportedResponseType, .oauthInvalidScope, .oauthAccessDenied,
        .oauthInvalidToken,
        .oauthAuthorizationPending, .oauthSlowDown, .oauthExpiredToken, .oauthRedirectURIMismatch,
        .oauthUnknownClient, .oauthAssertionUntrusted, .oauthAssertionAudienceMismatch, .oauthAssertionExpired,
        .oauthAssertionReplayed, .oauthAssertionInvalid, .oauthSubjectTokenInvalid, .oauthInvalidTarget,
        .oauthTemporarilyUnavailable, .oauthInvalidRequestObject, .oauthInvalidRequestURI, .oauthRequestURINotSupported, .oauthPushedRequestRequired,
    ]
}
