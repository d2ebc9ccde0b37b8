public import IdentityCore

/// Why an XML document was refused or a signature did not verify.
///
/// Each distinct failure has its own code so a scenario (and a person reading a log) can
/// tell a tampered element (`xmldsig.digest_mismatch`) from a wrong key
/// (`xmldsig.untrusted_key`) or a wrapped reference (`xmldsig.reference_not_enveloping`).
public enum XMLSecurityArea: ErrorArea {}
public typealias XMLSecurityError = CodedFailure<XMLSecurityArea>

extension ErrorCode {
    // Parsing
    /// Not well-formed XML.
    public static let xmlMalformed: ErrorCode = "xml.malformed"
    /// A document type declaration (and so any entity) is present; never accepted.
    public static let xmlDTDForbidden: ErrorCode = "xml.dtd_forbidden"
    /// Larger than the configured byte limit.
    public static let xmlTooLarge: ErrorCode = "xml.too_large"
    /// Nested deeper than the configured depth limit.
    public static let xmlTooDeep: ErrorCode = "xml.too_deep"
    /// Not UTF-8 (a UTF-16/32 byte order mark, NUL bytes or another declared encoding).
    public static let xmlEncodingUnsupported: ErrorCode = "xml.encoding_unsupported"

    // XML-DSig (SAML signature profile)
    public static let signatureMissing: ErrorCode = "xmldsig.signature_missing"
    public static let signatureMultiple: ErrorCode = "xmldsig.multiple_signatures"
    public static let signatureMalformed: ErrorCode = "xmldsig.malformed"
    public static let signatureMultipleReferences: ErrorCode = "xmldsig.multiple_references"
    /// The Reference does not point at the element that encloses the Signature.
    public static let signatureReferenceNotEnveloping: ErrorCode = "xmldsig.reference_not_enveloping"
    /// The referenced ID appears on more than one element.
    public static let signatureDuplicateID: ErrorCode = "xmldsig.duplicate_id"
    public static let signatureUnsupportedTransform: ErrorCode = "xmldsig.unsupported_transform"
    public static let signatureUnsupportedCanonicalization: ErrorCode = "xmldsig.unsupported_canonicalization"
    public static let signatureUnsupportedAlgorithm: ErrorCode = "xmldsig.unsupported_algorithm"
    /// The referenced content does not hash to the DigestValue: it was changed after signing.
    public static let signatureDigestMismatch: ErrorCode = "xmldsig.digest_mismatch"
    /// No configured certificate can have made this signature (e.g. KeyInfo names another).
    public static let signatureUntrustedKey: ErrorCode = "xmldsig.untrusted_key"
    /// The SignatureValue does not verify over SignedInfo with the configured key.
    public static let signatureBadValue: ErrorCode = "xmldsig.bad_signature_value"

    // Keys and certificates
    public static let keyMalformed: ErrorCode = "key.malformed"
    public static let certificateMalformed: ErrorCode = "certificate.malformed"
}
