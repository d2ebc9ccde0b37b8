/// The error catalogue: `xml.*`, `xmldsig.*`, `xmlenc.*`, `key.*`, `certificate.*` — XML, XML-DSig and key material (XMLSecurity).
extension ErrorCode {
    public static let xmlMalformed = ErrorCode(
        "xml.malformed", status: 400,
        message: "The document is not well-formed XML.",
        summary: "Not well-formed XML.")
    public static let xmlDTDForbidden = ErrorCode(
        "xml.dtd_forbidden", status: 400,
        message: "Documents with a DTD are not accepted.",
        summary: "A document type declaration (and so any entity) is present; never accepted.")
    public static let xmlTooLarge = ErrorCode(
        "xml.too_large", status: 400,
        message: "The document is too large.",
        summary: "Larger than the configured byte limit.")
    public static let xmlTooDeep = ErrorCode(
        "xml.too_deep", status: 400,
        message: "The document is nested too deeply.",
        summary: "Nested deeper than the configured depth limit.")
    public static let xmlEncodingUnsupported = ErrorCode(
        "xml.encoding_unsupported", status: 400,
        message: "Only UTF-8 documents are accepted.",
        summary: "Not UTF-8 (a UTF-16/32 byte order mark, NUL bytes or another declared encoding).")
    public static let signatureMissing = ErrorCode(
        "xmldsig.signature_missing", status: 400,
        message: "A signature is required and missing.",
        summary: "No Signature where one is required.")
    public static let signatureMultiple = ErrorCode(
        "xmldsig.multiple_signatures", status: 400,
        message: "More than one signature is present.",
        summary: "Two or more Signature elements on one element.")
    public static let signatureMalformed = ErrorCode(
        "xmldsig.malformed", status: 400,
        message: "The signature is malformed.",
        summary: "A Signature missing SignedInfo, SignatureValue or their parts.")
    public static let signatureMultipleReferences = ErrorCode(
        "xmldsig.multiple_references", status: 400,
        message: "The signature covers more than one thing.",
        summary: "More than one Reference: the SAML profile allows one.")
    public static let signatureReferenceNotEnveloping = ErrorCode(
        "xmldsig.reference_not_enveloping", status: 400,
        message: "The signature does not cover the element it sits in.",
        summary: "The Reference does not point at the element that encloses the Signature.")
    public static let signatureDuplicateID = ErrorCode(
        "xmldsig.duplicate_id", status: 400,
        message: "The signed document is ambiguous.",
        summary: "The referenced ID appears on more than one element.")
    public static let signatureUnsupportedTransform = ErrorCode(
        "xmldsig.unsupported_transform", status: 400,
        message: "The signature uses a transform that is not accepted.",
        summary: "A transform other than enveloped-signature and exclusive c14n.")
    public static let signatureUnsupportedCanonicalization = ErrorCode(
        "xmldsig.unsupported_canonicalization", status: 400,
        message: "The signature uses a canonicalization that is not accepted.",
        summary: "A CanonicalizationMethod other than exclusive c14n.")
    public static let signatureUnsupportedAlgorithm = ErrorCode(
        "xmldsig.unsupported_algorithm", status: 400,
        message: "The signature uses an algorithm that is not accepted.",
        summary: "A signature or digest method this server does not accept.")
    public static let signatureDigestMismatch = ErrorCode(
        "xmldsig.digest_mismatch", status: 400,
        message: "The signed content was changed after signing.",
        summary: "The referenced content does not hash to the DigestValue: it was changed after signing.")
    public static let signatureUntrustedKey = ErrorCode(
        "xmldsig.untrusted_key", status: 400,
        message: "The signature was not made by a trusted key.",
        summary: "No configured certificate can have made this signature (e.g. KeyInfo names another).")
    public static let signatureBadValue = ErrorCode(
        "xmldsig.bad_signature_value", status: 400,
        message: "The signature is invalid.",
        summary: "The SignatureValue does not verify over SignedInfo with the configured key.")
    public static let decryptionFailed = ErrorCode(
        "xmlenc.decryption_failed", status: 400,
        message: "The encrypted content could not be decrypted.",
        summary: "SA-8: an EncryptedAssertion that does not open with this party's key — any algorithm, key, padding, tag or content failure, deliberately one code (no padding or parsing oracle); with an unsigned Response also a decrypted assertion whose signature fails or is missing.")
    public static let keyMalformed = ErrorCode(
        "key.malformed", status: 400,
        message: "The key is not readable.",
        summary: "A private key PEM that does not parse.")
    public static let certificateMalformed = ErrorCode(
        "certificate.malformed", status: 400,
        message: "The certificate is not readable.",
        summary: "A certificate PEM or DER that does not parse.")
}

extension ErrorCatalogue {
    static let xml: [ErrorCode] = [
        .xmlMalformed, .xmlDTDForbidden, .xmlTooLarge, .xmlTooDeep,
        .xmlEncodingUnsupported, .signatureMissing, .signatureMultiple, .signatureMalformed,
        .signatureMultipleReferences, .signatureReferenceNotEnveloping, .signatureDuplicateID, .signatureUnsupportedTransform,
        .signatureUnsupportedCanonicalization, .signatureUnsupportedAlgorithm, .signatureDigestMismatch, .signatureUntrustedKey,
        .signatureBadValue, .decryptionFailed, .keyMalformed, .certificateMalformed,
    ]
}
