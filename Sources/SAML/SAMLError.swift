public import IdentityCore

/// Why a SAML message was refused, by the server (as IdP) or by an SP validating a
/// Response. XML parsing and signature failures keep their `xml.`/`xmldsig.` codes.
public enum SAMLArea: ErrorArea {
    public static let codeAreas: Set<String> = ["saml"]
}
public typealias SAMLError = CodedFailure<SAMLArea>
