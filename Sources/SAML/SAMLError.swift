public import IdentityCore

/// Why a SAML message was refused, by the server (as IdP) or by an SP validating a
/// Response. XML parsing and signature failures keep their `xml.`/`xmldsig.` codes.
public enum SAMLArea: ErrorArea {}
public typealias SAMLError = CodedFailure<SAMLArea>

extension ErrorCode {
    // Decoding a message from a binding
    public static let samlMessageMissing: ErrorCode = "saml.message_missing"
    public static let samlBadBase64: ErrorCode = "saml.bad_base64"
    public static let samlBadDeflate: ErrorCode = "saml.bad_deflate"
    public static let samlMessageTooLarge: ErrorCode = "saml.message_too_large"
    public static let samlUnexpectedMessage: ErrorCode = "saml.unexpected_message"
    public static let samlMalformed: ErrorCode = "saml.malformed"
    public static let samlVersionUnsupported: ErrorCode = "saml.version_unsupported"

    // The server as IdP
    /// SA-1: the AuthnRequest's Issuer is not a registered SP.
    public static let samlIssuerUnknown: ErrorCode = "saml.issuer_unknown"
    public static let samlIssuerMissing: ErrorCode = "saml.issuer_missing"
    /// SA-7: the SP requires signed requests and this one is not signed.
    public static let samlSignatureRequired: ErrorCode = "saml.signature_required"
    /// SA-7: a query-string (HTTP-Redirect) signature did not verify.
    public static let samlQuerySignatureInvalid: ErrorCode = "saml.query_signature_invalid"
    public static let samlSignatureAlgorithmUnsupported: ErrorCode = "saml.sigalg_unsupported"
    /// SA-3/SA-4: the ACS URL is not registered and nothing allows it.
    public static let samlACSNotRegistered: ErrorCode = "saml.acs_not_registered"
    public static let samlACSIndexUnknown: ErrorCode = "saml.acs_index_unknown"
    /// A signed request named an ACS URL that is not an absolute http(s) URL.
    public static let samlACSInvalid: ErrorCode = "saml.acs_invalid"
    /// SA-12: the AuthnRequest's IssueInstant is too old or in the future.
    public static let samlRequestExpired: ErrorCode = "saml.request_expired"
    public static let samlNoACSConfigured: ErrorCode = "saml.no_acs_configured"
    public static let samlBindingUnsupported: ErrorCode = "saml.binding_unsupported"
    /// SA-4: IdP-initiated SSO is off for this SP.
    public static let samlIdPInitiatedDisabled: ErrorCode = "saml.idp_initiated_disabled"
    public static let samlServiceProviderUnknown: ErrorCode = "saml.sp_unknown"
    public static let samlDestinationMismatch: ErrorCode = "saml.destination_mismatch"

    // An SP validating a Response
    public static let samlStatusNotSuccess: ErrorCode = "saml.status_not_success"
    public static let samlUnsigned: ErrorCode = "saml.unsigned"
    public static let samlIssuerMismatch: ErrorCode = "saml.issuer_mismatch"
    public static let samlAssertionMissing: ErrorCode = "saml.assertion_missing"
    public static let samlAssertionMultiple: ErrorCode = "saml.assertion_multiple"
    public static let samlAudienceMismatch: ErrorCode = "saml.audience_mismatch"
    public static let samlRecipientMismatch: ErrorCode = "saml.recipient_mismatch"
    public static let samlInResponseToMismatch: ErrorCode = "saml.in_response_to_mismatch"
    public static let samlUnsolicited: ErrorCode = "saml.unsolicited"
    public static let samlExpired: ErrorCode = "saml.expired"
    public static let samlNotYetValid: ErrorCode = "saml.not_yet_valid"
    public static let samlSubjectMissing: ErrorCode = "saml.subject_missing"
    public static let samlReplayed: ErrorCode = "saml.replayed"
}
