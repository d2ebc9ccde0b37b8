public import IdentityCore

/// Namespaces of XML Encryption 1.0 and 1.1.
public enum XMLEncryptionNamespace {
    public static let xenc = "http://www.w3.org/2001/04/xmlenc#"
    public static let xenc11 = "http://www.w3.org/2009/xmlenc11#"
    /// `EncryptedData/@Type` of an encrypted element (what SAML encrypts).
    public static let elementType = "http://www.w3.org/2001/04/xmlenc#Element"
}

/// Block encryption algorithms for the encrypted element itself (XML Encryption 1.1 §5.2),
/// by short name for configuration files and by URI on the wire. GCM is authenticated;
/// CBC is not, which is why a decrypted assertion is trusted only once its signature (or
/// the Response's) has verified, and why every failure up to then looks alike.
public enum DataEncryptionAlgorithm: String, CaseIterable, Sendable, ConfigurationEnum {
    case aes128CBC = "aes128-cbc"
    case aes192CBC = "aes192-cbc"
    case aes256CBC = "aes256-cbc"
    case aes128GCM = "aes128-gcm"
    case aes192GCM = "aes192-gcm"
    case aes256GCM = "aes256-gcm"

    public var uri: String {
        switch self {
        case .aes128CBC, .aes192CBC, .aes256CBC: XMLEncryptionNamespace.xenc + rawValue
        case .aes128GCM, .aes192GCM, .aes256GCM: XMLEncryptionNamespace.xenc11 + rawValue
        }
    }

    public init?(uri: String) {
        guard let match = Self.allCases.first(where: { $0.uri == uri }) else { return nil }
        self = match
    }

    /// The content-encryption key's length in bytes.
    public var keyBytes: Int {
        switch self {
        case .aes128CBC, .aes128GCM: 16
        case .aes192CBC, .aes192GCM: 24
        case .aes256CBC, .aes256GCM: 32
        }
    }

    public var isGCM: Bool {
        switch self {
        case .aes128GCM, .aes192GCM, .aes256GCM: true
        default: false
        }
    }
}

/// Key transport algorithms for the content-encryption key (XML Encryption 1.1 §5.5.2):
/// RSA-OAEP only. RSA PKCS#1 v1.5 (`rsa-1_5`) is refused: its padding check is the
/// Bleichenbacher oracle XML Encryption 1.1 §5.5.1 warns about.
///
/// - `rsa-oaep-mgf1p`: `xmlenc#rsa-oaep-mgf1p`, OAEP with SHA-1 and MGF1 with SHA-1 — what
///   most SAML software (Shibboleth, SimpleSAMLphp, xmlsec1) sends.
/// - `rsa-oaep-sha256`: `xmlenc11#rsa-oaep` with a SHA-256 DigestMethod and MGF1 with
///   SHA-256. swift-crypto's OAEP uses one hash for both, so the 1.1 URI with SHA-256 and
///   the default MGF1-SHA1 is refused (with the same code as any other failure).
public enum KeyTransportAlgorithm: String, CaseIterable, Sendable, ConfigurationEnum {
    case rsaOAEPMGF1P = "rsa-oaep-mgf1p"
    case rsaOAEPSHA256 = "rsa-oaep-sha256"

    public static let mgf1pURI = XMLEncryptionNamespace.xenc + "rsa-oaep-mgf1p"
    public static let oaep11URI = XMLEncryptionNamespace.xenc11 + "rsa-oaep"
    public static let mgf1SHA256URI = XMLEncryptionNamespace.xenc11 + "mgf1sha256"
    public static let mgf1SHA1URI = XMLEncryptionNamespace.xenc11 + "mgf1sha1"

    /// The EncryptionMethod Algorithm URI.
    public var uri: String {
        switch self {
        case .rsaOAEPMGF1P: Self.mgf1pURI
        case .rsaOAEPSHA256: Self.oaep11URI
        }
    }

    /// The OAEP hash (DigestMethod).
    public var digest: DigestAlgorithm {
        switch self {
        case .rsaOAEPMGF1P: .sha1
        case .rsaOAEPSHA256: .sha256
        }
    }
}
