public import IdentityCore

/// Why a connector refused an IdP's answer (FE-3), beyond the codes of the protocol
/// modules it carries through (`jwt.issuer_mismatch`, `saml.signature_invalid`, …).
public enum ConnectorArea: ErrorArea {
    public static let codeAreas: Set<String> = ["connector"]
}
public typealias ConnectorError = CodedFailure<ConnectorArea>
