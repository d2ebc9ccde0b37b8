/// The error catalogue: `auth.*` — the login flow (AuthFramework).
extension ErrorCode {
    public static let authFlowExpired = ErrorCode(
        "auth.flow_expired", status: 400,
        message: "This sign-in has expired or was already completed. Go back to the application and start again.",
        summary: "The flow key is unknown, the flow expired, or another submission completed it.")
    public static let authFlowNotYours = ErrorCode(
        "auth.flow_not_yours", status: 400,
        message: "This sign-in was started in another browser.",
        summary: "The flow was started in another browser (binding cookie missing or different).")
    public static let authCSRFInvalid = ErrorCode(
        "auth.csrf_invalid", status: 400,
        message: "The form could not be verified. Go back to the application and start again.",
        summary: "A form's CSRF token is missing, old, wrong or of another login.")
    public static let authNoPassive = ErrorCode(
        "auth.no_passive", status: 400, saml: SAMLStatusPair(.responder, .noPassive), oauth: "login_required",
        message: "You are not signed in, and the application asked not to show a sign-in page.",
        summary: "A passive request (IsPassive, prompt=none) and no session to answer it from.")
    public static let authTenantNotAllowed = ErrorCode(
        "auth.tenant_not_allowed", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "Your organisation cannot use this application.",
        summary: "SP-3: the user's tenant may not use this (non-SaaS) application.")
    public static let authTooManyAttempts = ErrorCode(
        "auth.too_many_attempts", status: 400, saml: SAMLStatusPair(.responder, .authnFailed), oauth: "access_denied",
        message: "Too many failed attempts. Go back to the application and start again.",
        summary: "Too many failed attempts in one login.")
    public static let authUnexpectedForm = ErrorCode(
        "auth.unexpected_form", status: 400,
        message: "This form does not belong to the current step of your sign-in.",
        summary: "A form was posted that this step does not accept (a later step posted early).")
    public static let authUnexpectedField = ErrorCode(
        "auth.unexpected_field", status: 400,
        message: "The form carried a field its page did not ask for.",
        summary: "A form answered a claim its page did not ask about (a forged consent or claims post).")
    public static let authConsentDenied = ErrorCode(
        "auth.consent_denied", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "You chose not to share the information the application needs.",
        summary: "CL-4: the person denied consent.")
    public static let authInteractionRequired = ErrorCode(
        "auth.interaction_required", status: 400, saml: SAMLStatusPair(.responder, .noPassive), oauth: "interaction_required",
        message: "The application asked not to show a page, and one is needed.",
        summary: "A passive request needs the mandatory-claim page.")
    public static let authConsentRequired = ErrorCode(
        "auth.consent_required", status: 400, saml: SAMLStatusPair(.responder, .noPassive), oauth: "consent_required",
        message: "The application asked not to show a page, and consent is needed.",
        summary: "A passive request needs the consent page.")
    public static let authSessionEnded = ErrorCode(
        "auth.session_ended", status: 400,
        message: "You were signed out before this sign-in finished. Go back to the application and start again.",
        summary: "The SSO session ended (logout elsewhere, expiry, a locked user) while a page of the flow was open.")
    public static let authFederatedDenied = ErrorCode(
        "auth.federated_denied", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "The identity provider did not sign you in.",
        summary: "The federated IdP refused the person or they cancelled there (its error is the value).")
    public static let authJITConsentDenied = ErrorCode(
        "auth.jit_consent_denied", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "You chose not to have an account created.",
        summary: "JIT-5: the person refused consent to provisioning.")
    public static let authJITUsernameTaken = ErrorCode(
        "auth.jit_username_taken", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "An account could not be created for you.",
        summary: "JIT-8: silent provisioning found the username taken by another account.")
    public static let authProvisioningFailed = ErrorCode(
        "auth.provisioning_failed", status: 502, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "Your account could not be set up for this application. Try again later.",
        summary: "PR-2: a blocking outbound provisioning target of the application could not be given the person's account, so the login is refused; the delivery stays queued and is retried.")
    public static let authJITUsernameInvalid = ErrorCode(
        "auth.jit_username_invalid", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "An account could not be created for you.",
        summary: "JIT-3, AU-9: silent provisioning found that the IdP's user ID cannot be a username (a space, a '/', mixed scripts …).")
    public static let authIdentityAlreadyLinked = ErrorCode(
        "auth.identity_already_linked", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "This identity provider account is already linked to another account.",
        summary: "FE-4: the federated person was linked to another account meanwhile.")
    public static let authSubjectNotUnique = ErrorCode(
        "auth.subject_not_unique", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "The application cannot tell your account apart from another.",
        summary: "AU-9, CL-5: the SP's subject claim has the same value for another account (or the shape of a federated subject).")
    public static let authAccountLocked = ErrorCode(
        "auth.account_locked", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "Your account is locked.",
        summary: "JIT-7: the account linked to this federated person is locked.")
    public static let authOptionUnavailable = ErrorCode(
        "auth.option_unavailable", status: 400,
        message: "That way of signing in is not available here.",
        summary: "The option chosen is not one the current step offers, or its IdP is unknown or disabled.")
    public static let authUnexpectedAnswer = ErrorCode(
        "auth.unexpected_answer", status: 400,
        message: "This answer from the identity provider does not belong to a sign-in in progress.",
        summary: "A federated answer arrived for a flow not waiting for one.")
    public static let authMandatoryClaimUnavailable = ErrorCode(
        "auth.mandatory_claim_unavailable", status: 400, saml: SAMLStatusPair(.responder, .requestDenied), oauth: "access_denied",
        message: "The application needs information about you that cannot be provided.",
        summary: "CL-3: a mandatory claim is empty and is not one a person can give.")
}

extension ErrorCatalogue {
    static let auth: [ErrorCode] = [
        .authFlowExpired, .authFlowNotYours, .authCSRFInvalid, .authNoPassive,
        .authTenantNotAllowed, .authTooManyAttempts, .authUnexpectedForm, .authUnexpectedField,
        .authConsentDenied, .authInteractionRequired, .authConsentRequired, .authSessionEnded,
        .authFederatedDenied, .authJITConsentDenied, .authJITUsernameTaken, .authJITUsernameInvalid,
        .authIdentityAlreadyLinked, .authSubjectNotUnique, .authAccountLocked, .authOptionUnavailable,
        .authUnexpectedAnswer, .authMandatoryClaimUnavailable, .authProvisioningFailed,
    ]
}
