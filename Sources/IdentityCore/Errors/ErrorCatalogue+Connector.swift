/// The error catalogue: `connector.*` — federated IdPs (Connectors).
extension ErrorCode {
    public static let connectorUpstreamFailed = ErrorCode(
        "connector.upstream_failed", status: 400,
        message: "The identity provider could not be reached.",
        summary: "The IdP could not be reached, or answered with something that is not HTTP success.")
    public static let connectorUpstreamTimeout = ErrorCode(
        "connector.upstream_timeout", status: 400,
        message: "The identity provider did not answer in time.",
        summary: "The IdP did not answer within the server's `upstreamTimeoutSeconds`.")
    public static let connectorTokenRefused = ErrorCode(
        "connector.token_refused", status: 400,
        message: "The identity provider refused to complete the sign-in.",
        summary: "The token endpoint refused the code (its OAuth error is the value).")
    public static let connectorResponseMalformed = ErrorCode(
        "connector.response_malformed", status: 400,
        message: "The identity provider's answer could not be used.",
        summary: "The answer is not what the protocol says it must be (no code, no ID token, bad JSON).")
    public static let connectorStateMismatch = ErrorCode(
        "connector.state_mismatch", status: 400,
        message: "The identity provider's answer does not belong to this sign-in.",
        summary: "The answer's `state` is not the one this login sent.")
    public static let connectorUserIDMissing = ErrorCode(
        "connector.user_id_missing", status: 400,
        message: "The identity provider did not say who you are.",
        summary: "The IdP's user ID claim (FE-2) is absent or empty.")
    public static let connectorSubjectMismatch = ErrorCode(
        "connector.subject_mismatch", status: 400,
        message: "The identity provider's answers disagree about who you are.",
        summary: "Userinfo names another subject than the ID token (OIDC Core §5.3.2).")
    public static let connectorMisconfigured = ErrorCode(
        "connector.misconfigured", status: 400,
        message: "This identity provider is not set up correctly.",
        summary: "The identity provider's settings lack what this kind needs.")
}

extension ErrorCatalogue {
    static let connector: [ErrorCode] = [
        .connectorUpstreamFailed, .connectorUpstreamTimeout, .connectorTokenRefused, .connectorResponseMalformed,
        .connectorStateMismatch, .connectorUserIDMissing, .connectorSubjectMismatch, .connectorMisconfigured,
    ]
}
