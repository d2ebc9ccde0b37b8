/// The error catalogue: `saml.*` — SAML messages, metadata and the answers this server gives.
extension ErrorCode {
    public static let samlMetadataInvalid = ErrorCode(
        "saml.metadata_invalid", status: 400,
        message: "The document is not a usable service provider's SAML metadata.",
        summary: "SA-11: a metadata document that does not describe a usable SAML 2.0 SP.")
    public static let samlMetadataUnreachable = ErrorCode(
        "saml.metadata_unreachable", status: 502,
        message: "The metadata URL could not be read.",
        summary: "SA-11: the metadata URL could not be read.")
    public static let samlMessageMissing = ErrorCode(
        "saml.message_missing", status: 400,
        message: "The request carries no SAML message.",
        summary: "No SAMLRequest or SAMLResponse where one is required.")
    public static let samlBadBase64 = ErrorCode(
        "saml.bad_base64", status: 400,
        message: "The SAML message is not readable.",
        summary: "The message is not base64.")
    public static let samlBadDeflate = ErrorCode(
        "saml.bad_deflate", status: 400,
        message: "The SAML message is not readable.",
        summary: "The Redirect-binding message does not inflate (DEFLATE).")
    public static let samlMessageTooLarge = ErrorCode(
        "saml.message_too_large", status: 400,
        message: "The SAML message is too large.",
        summary: "Over 64 KiB encoded or 256 KiB inflated (Redirect), 512 KiB encoded (POST).")
    public static let samlUnexpectedMessage = ErrorCode(
        "saml.unexpected_message", status: 400,
        message: "This is not the SAML message expected here.",
        summary: "Another message than the endpoint takes.")
    public static let samlMalformed = ErrorCode(
        "saml.malformed", status: 400,
        message: "The SAML message is malformed.",
        summary: "A required attribute or element is missing or invalid.")
    public static let samlVersionUnsupported = ErrorCode(
        "saml.version_unsupported", status: 400,
        message: "Only SAML 2.0 is supported.",
        summary: "A Version other than 2.0.")
    public static let samlIssuerUnknown = ErrorCode(
        "saml.issuer_unknown", status: 400,
        message: "The application that sent you here is not registered.",
        summary: "SA-1: the AuthnRequest's Issuer is not a registered SP.")
    public static let samlIssuerMissing = ErrorCode(
        "saml.issuer_missing", status: 400,
        message: "The application that sent you here did not say who it is.",
        summary: "The message has no Issuer.")
    public static let samlSignatureRequired = ErrorCode(
        "saml.signature_required", status: 400,
        message: "The application's sign-in request must be signed and is not.",
        summary: "SA-7: the SP requires signed requests and this one is not signed.")
    public static let samlQuerySignatureInvalid = ErrorCode(
        "saml.query_signature_invalid", status: 400,
        message: "The application's sign-in request has an invalid signature.",
        summary: "SA-7: a query-string (HTTP-Redirect) signature did not verify.")
    public static let samlSignatureAlgorithmUnsupported = ErrorCode(
        "saml.sigalg_unsupported", status: 400,
        message: "The signature algorithm is not supported.",
        summary: "A SigAlg or signature method this server does not accept.")
    public static let samlACSNotRegistered = ErrorCode(
        "saml.acs_not_registered", status: 400,
        message: "The application asked for the response to go to an address it has not registered.",
        summary: "SA-3/SA-4: the ACS URL is not registered and nothing allows it.")
    public static let samlACSIndexUnknown = ErrorCode(
        "saml.acs_index_unknown", status: 400,
        message: "The application asked for a response address it has not registered.",
        summary: "SA-3: the AssertionConsumerServiceIndex names no registered endpoint.")
    public static let samlACSInvalid = ErrorCode(
        "saml.acs_invalid", status: 400,
        message: "The application asked for the response to go to an address that is not a web address.",
        summary: "A signed request named an ACS URL that is not an absolute http(s) URL.")
    public static let samlRequestExpired = ErrorCode(
        "saml.request_expired", status: 400,
        message: "The application's sign-in request is too old. Go back to the application and start again.",
        summary: "SA-12: the AuthnRequest's IssueInstant is too old or in the future.")
    public static let samlNoACSConfigured = ErrorCode(
        "saml.no_acs_configured", status: 400,
        message: "The application has no response address registered.",
        summary: "The SP has no ACS URL.")
    public static let samlBindingUnsupported = ErrorCode(
        "saml.binding_unsupported", status: 400,
        message: "The application asked for a response binding this server does not use.",
        summary: "A ProtocolBinding other than HTTP-POST for the response.")
    public static let samlIdPInitiatedDisabled = ErrorCode(
        "saml.idp_initiated_disabled", status: 400,
        message: "This application does not accept sign-in started from the identity server.",
        summary: "SA-4: IdP-initiated SSO is off for this SP.")
    public static let samlServiceProviderUnknown = ErrorCode(
        "saml.sp_unknown", status: 400,
        message: "No application is registered under that name.",
        summary: "IdP-initiated SSO names an entity ID no SP has.")
    public static let samlDestinationMismatch = ErrorCode(
        "saml.destination_mismatch", status: 400,
        message: "The SAML message is addressed to another service.",
        summary: "The Destination is not this endpoint.")
    public static let samlNameIDPolicyUnsupported = ErrorCode(
        "saml.nameid_policy_unsupported", status: 400, saml: SAMLStatusPair(.requester, .invalidNameIDPolicy),
        message: "The application asked for a kind of identifier this server cannot give it.",
        summary: "SAML core §3.4.1.1: a NameIDPolicy the SP is not set up for, or cannot be met for this person.")
    public static let samlAuthnContextUnsatisfiable = ErrorCode(
        "saml.authn_context_unsatisfiable", status: 400, saml: SAMLStatusPair(.responder, .noAuthnContext),
        message: "The application asked for a kind of sign-in this server does not perform.",
        summary: "SAML core §3.3.2.2.1: a RequestedAuthnContext this IdP cannot meet.")
    public static let samlStatusNotSuccess = ErrorCode(
        "saml.status_not_success", status: 400,
        message: "The identity provider answered with a refusal.",
        summary: "A Response whose status is not Success.")
    public static let samlUnsigned = ErrorCode(
        "saml.unsigned", status: 400,
        message: "The identity provider's answer is not signed.",
        summary: "Neither the Response nor the assertion carries a verifying signature.")
    public static let samlIssuerMismatch = ErrorCode(
        "saml.issuer_mismatch", status: 400,
        message: "The answer is not from the expected identity provider.",
        summary: "The Response's or assertion's Issuer is not the IdP's entity ID.")
    public static let samlAssertionMissing = ErrorCode(
        "saml.assertion_missing", status: 400,
        message: "The identity provider's answer holds no assertion.",
        summary: "A Success Response without an assertion.")
    public static let samlAssertionMultiple = ErrorCode(
        "saml.assertion_multiple", status: 400,
        message: "The identity provider's answer holds more than one assertion.",
        summary: "More than one assertion: refused rather than choose.")
    public static let samlAudienceMismatch = ErrorCode(
        "saml.audience_mismatch", status: 400,
        message: "The answer was meant for another application.",
        summary: "The AudienceRestriction does not name this SP.")
    public static let samlRecipientMismatch = ErrorCode(
        "saml.recipient_mismatch", status: 400,
        message: "The answer was meant for another address.",
        summary: "SubjectConfirmationData Recipient is not this ACS URL.")
    public static let samlInResponseToMismatch = ErrorCode(
        "saml.in_response_to_mismatch", status: 400,
        message: "The answer does not belong to this sign-in.",
        summary: "InResponseTo is not the request this party sent.")
    public static let samlUnsolicited = ErrorCode(
        "saml.unsolicited", status: 400,
        message: "An unrequested answer arrived and is not accepted here.",
        summary: "An IdP-initiated Response where they are not accepted.")
    public static let samlExpired = ErrorCode(
        "saml.expired", status: 400,
        message: "The answer has expired.",
        summary: "NotOnOrAfter has passed.")
    public static let samlNotYetValid = ErrorCode(
        "saml.not_yet_valid", status: 400,
        message: "The answer is not valid yet.",
        summary: "NotBefore is in the future (beyond the clock skew).")
    public static let samlSubjectMissing = ErrorCode(
        "saml.subject_missing", status: 400,
        message: "The answer does not say who signed in.",
        summary: "The assertion has no Subject/NameID.")
    public static let samlReplayed = ErrorCode(
        "saml.replayed", status: 400,
        message: "This message was already used.",
        summary: "An assertion ID or LogoutRequest ID seen before (replay).")
    public static let samlSingleLogoutDisabled = ErrorCode(
        "saml.slo_disabled", status: 400,
        message: "This application does not take part in single logout here.",
        summary: "SA-10: a LogoutRequest from an SP whose single logout is off.")
    public static let samlLogoutSessionUnknown = ErrorCode(
        "saml.logout_session_unknown", status: 400, saml: SAMLStatusPair(.requester, .unknownPrincipal),
        message: "There is no sign-in to that application to end here.",
        summary: "SA-10: no session here has the LogoutRequest's SessionIndex for that SP (or, without one, the browser has none).")
    public static let samlLogoutSubjectMismatch = ErrorCode(
        "saml.logout_subject_mismatch", status: 400, saml: SAMLStatusPair(.requester, .unknownPrincipal),
        message: "The sign-out request names someone else.",
        summary: "SA-10: the LogoutRequest's NameID is not the one that session's assertion gave that SP.")
    public static let samlLogoutUnexpected = ErrorCode(
        "saml.logout_unexpected", status: 400,
        message: "This sign-out answer does not belong to a sign-out in progress.",
        summary: "SA-10: a LogoutResponse for no logout this server is propagating (unknown or finished RelayState).")
    public static let samlIdPInitiatedLogoutDisabled = ErrorCode(
        "saml.idp_initiated_slo_disabled", status: 400,
        message: "This application does not accept sign-out started from the identity server.",
        summary: "SA-10: IdP-initiated single logout is off for this SP.")
    public static let samlReturnToNotRegistered = ErrorCode(
        "saml.return_to_not_registered", status: 400,
        message: "The address to return to after signing out is not registered for the application.",
        summary: "SA-10: IdP-initiated logout's returnTo is not one of the SP's returnToURLs.")
}

extension ErrorCatalogue {
    static let saml: [ErrorCode] = [
        .samlMetadataInvalid, .samlMetadataUnreachable, .samlMessageMissing, .samlBadBase64,
        .samlBadDeflate, .samlMessageTooLarge, .samlUnexpectedMessage, .samlMalformed,
        .samlVersionUnsupported, .samlIssuerUnknown, .samlIssuerMissing, .samlSignatureRequired,
        .samlQuerySignatureInvalid, .samlSignatureAlgorithmUnsupported, .samlACSNotRegistered, .samlACSIndexUnknown,
        .samlACSInvalid, .samlRequestExpired, .samlNoACSConfigured, .samlBindingUnsupported,
        .samlIdPInitiatedDisabled, .samlServiceProviderUnknown, .samlDestinationMismatch, .samlNameIDPolicyUnsupported,
        .samlAuthnContextUnsatisfiable, .samlStatusNotSuccess, .samlUnsigned, .samlIssuerMismatch,
        .samlAssertionMissing, .samlAssertionMultiple, .samlAudienceMismatch, .samlRecipientMismatch,
        .samlInResponseToMismatch, .samlUnsolicited, .samlExpired, .samlNotYetValid,
        .samlSubjectMissing, .samlReplayed, .samlSingleLogoutDisabled, .samlLogoutSessionUnknown,
        .samlLogoutSubjectMismatch, .samlLogoutUnexpected, .samlIdPInitiatedLogoutDisabled, .samlReturnToNotRegistered,
    ]
}
