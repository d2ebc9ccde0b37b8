public import IdentityCore

/// Why a login could not go on. Some end the flow with an error page (the flow itself is
/// broken or forged); others are answered to the SP through its protocol (the person was
/// refused), as `endsAtServiceProvider` says.
public enum AuthArea: ErrorArea {}
public typealias AuthError = CodedFailure<AuthArea>

extension AuthError {
    /// True for refusals the SP should hear about (its protocol's error response); false
    /// for broken flows, which only get an error page because there is no safe place to
    /// send anything.
    public var endsAtServiceProvider: Bool {
        [
            .authNoPassive, .authTenantNotAllowed, .authTooManyAttempts, .authConsentDenied, .authMandatoryClaimUnavailable,
            .authInteractionRequired, .authConsentRequired, .authFederatedDenied, .authJITConsentDenied, .authJITUsernameTaken,
            .authAccountLocked, .authJITUsernameInvalid, .authIdentityAlreadyLinked, .authSubjectNotUnique,
        ].contains(code)
    }
}

extension ErrorCode {
    /// The flow key is unknown or the flow has expired.
    public static let authFlowExpired: ErrorCode = "auth.flow_expired"
    /// The flow was started in another browser (binding cookie missing or different).
    public static let authFlowNotYours: ErrorCode = "auth.flow_not_yours"
    /// The form's CSRF token is missing or wrong.
    public static let authCSRFInvalid: ErrorCode = "auth.csrf_invalid"
    /// A passive request and no session to answer it from.
    public static let authNoPassive: ErrorCode = "auth.no_passive"
    /// SP-3: the user's tenant may not use this (non-SaaS) application.
    public static let authTenantNotAllowed: ErrorCode = "auth.tenant_not_allowed"
    /// Too many failed attempts in one flow.
    public static let authTooManyAttempts: ErrorCode = "auth.too_many_attempts"
    /// A form was posted that this step does not accept (a later step posted early).
    public static let authUnexpectedForm: ErrorCode = "auth.unexpected_form"
    /// A form answered a claim its page did not ask about (a forged consent or claims post).
    public static let authUnexpectedField: ErrorCode = "auth.unexpected_field"
    /// CL-4: the person denied consent.
    public static let authConsentDenied: ErrorCode = "auth.consent_denied"
    /// A passive request needs the mandatory-claim page (OIDC `interaction_required`).
    public static let authInteractionRequired: ErrorCode = "auth.interaction_required"
    /// A passive request needs the consent page (OIDC `consent_required`).
    public static let authConsentRequired: ErrorCode = "auth.consent_required"
    /// The SSO session ended (logout elsewhere, expiry, a locked user) while a page of
    /// the flow was open.
    public static let authSessionEnded: ErrorCode = "auth.session_ended"
    /// The federated IdP refused the person or they cancelled there (its error is the value).
    public static let authFederatedDenied: ErrorCode = "auth.federated_denied"
    /// JIT-5: the person refused consent to provisioning.
    public static let authJITConsentDenied: ErrorCode = "auth.jit_consent_denied"
    /// JIT-8: silent provisioning found the username taken by another account.
    public static let authJITUsernameTaken: ErrorCode = "auth.jit_username_taken"
    /// JIT-3, AU-9: silent provisioning found that the IdP's user ID cannot be a username
    /// (RFC 8265: a space, a '/', mixed scripts …).
    public static let authJITUsernameInvalid: ErrorCode = "auth.jit_username_invalid"
    /// FE-4: the federated person is already linked to another account.
    public static let authIdentityAlreadyLinked: ErrorCode = "auth.identity_already_linked"
    /// AU-9, CL-5: the SP's subject claim has the same value for another account (or the
    /// shape of a federated subject), so the SP could not tell the two apart.
    public static let authSubjectNotUnique: ErrorCode = "auth.subject_not_unique"
    /// JIT-7: the account linked to this federated person is locked.
    public static let authAccountLocked: ErrorCode = "auth.account_locked"
    /// The option chosen is not one the current step offers, or its IdP is unknown or disabled.
    public static let authOptionUnavailable: ErrorCode = "auth.option_unavailable"
    /// A federated answer arrived for a flow not waiting for one.
    public static let authUnexpectedAnswer: ErrorCode = "auth.unexpected_answer"
    /// CL-3: a mandatory claim is empty and is not one a person can give.
    public static let authMandatoryClaimUnavailable: ErrorCode = "auth.mandatory_claim_unavailable"
}
