public import IdentityCore

/// Why a connector refused an IdP's answer (FE-3), beyond the codes of the protocol
/// modules it carries through (`jwt.issuer_mismatch`, `saml.signature_invalid`, …).
public enum ConnectorArea: ErrorArea {}
public typealias ConnectorError = CodedFailure<ConnectorArea>

extension ErrorCode {
    /// The IdP could not be reached, or answered with something that is not HTTP success.
    public static let connectorUpstreamFailed: ErrorCode = "connector.upstream_failed"
    /// The IdP did not answer within the server's `upstreamTimeoutSeconds`.
    public static let connectorUpstreamTimeout: ErrorCode = "connector.upstream_timeout"
    /// The token endpoint refused the code (its OAuth error is the value).
    public static let connectorTokenRefused: ErrorCode = "connector.token_refused"
    /// The answer is not what the protocol says it must be (no code, no ID token, bad JSON).
    public static let connectorResponseMalformed: ErrorCode = "connector.response_malformed"
    /// The answer's `state` is not the one this login sent.
    public static let connectorStateMismatch: ErrorCode = "connector.state_mismatch"
    /// The IdP's user ID claim (FE-2) is absent or empty.
    public static let connectorUserIDMissing: ErrorCode = "connector.user_id_missing"
    /// Userinfo names another subject than the ID token (OIDC Core §5.3.2).
    public static let connectorSubjectMismatch: ErrorCode = "connector.subject_mismatch"
    /// The identity provider's settings lack what this kind needs.
    public static let connectorMisconfigured: ErrorCode = "connector.misconfigured"
}
