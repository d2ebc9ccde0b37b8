public import IdentityCore

/// Why an XML document was refused or a signature did not verify.
///
/// Each distinct failure has its own code so a scenario (and a person reading a log) can
/// tell a tampered element (`xmldsig.digest_mismatch`) from a wrong key
/// (`xmldsig.untrusted_key`) or a wrapped reference (`xmldsig.reference_not_enveloping`).
public enum XMLSecurityArea: ErrorArea {
    public static let codeAreas: Set<String> = ["xml", "xmldsig", "xmlenc", "key", "certificate"]
}
public typealias XMLSecurityError = CodedFailure<XMLSecurityArea>
