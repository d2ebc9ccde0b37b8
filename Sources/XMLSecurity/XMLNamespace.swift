/// Namespace URIs used by XML-DSig and SAML.
public enum XMLNamespace {
    public static let dsig = "http://www.w3.org/2000/09/xmldsig#"
    public static let excC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
    public static let saml = "urn:oasis:names:tc:SAML:2.0:assertion"
    public static let samlp = "urn:oasis:names:tc:SAML:2.0:protocol"
    public static let metadata = "urn:oasis:names:tc:SAML:2.0:metadata"
    /// SAML v2.0 Metadata Profile for Algorithm Support (`alg:SigningMethod`, `alg:DigestMethod`).
    public static let algorithmSupport = "urn:oasis:names:tc:SAML:metadata:algsupport"
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    public static let xs = "http://www.w3.org/2001/XMLSchema"
}

/// Algorithm URIs of the transforms the SAML signature profile allows.
public enum XMLTransform {
    public static let envelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    public static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
}
