public import IdentityCore

/// Signature algorithms of the SAML signature profile, by short name (`rsa-sha256`) for
/// configuration files and by URI on the wire.
public enum SignatureAlgorithm: String, CaseIterable, Sendable, ConfigurationEnum {
    case rsaSHA1 = "rsa-sha1"
    case rsaSHA256 = "rsa-sha256"
    case rsaSHA384 = "rsa-sha384"
    case rsaSHA512 = "rsa-sha512"
    case ecdsaSHA256 = "ecdsa-sha256"
    case ecdsaSHA384 = "ecdsa-sha384"
    case ecdsaSHA512 = "ecdsa-sha512"

    public enum Family: Sendable { case rsa, ecdsa }

    public var uri: String {
        switch self {
        case .rsaSHA1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
        case .rsaSHA256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        case .rsaSHA384: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
        case .rsaSHA512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
        case .ecdsaSHA256: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        case .ecdsaSHA384: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
        case .ecdsaSHA512: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
        }
    }

    public init?(uri: String) {
        guard let match = Self.allCases.first(where: { $0.uri == uri }) else { return nil }
        self = match
    }

    /// The hash the signature is computed over.
    public var digest: DigestAlgorithm {
        switch self {
        case .rsaSHA1: .sha1
        case .rsaSHA256, .ecdsaSHA256: .sha256
        case .rsaSHA384, .ecdsaSHA384: .sha384
        case .rsaSHA512, .ecdsaSHA512: .sha512
        }
    }

    public var family: Family {
        switch self {
        case .rsaSHA1, .rsaSHA256, .rsaSHA384, .rsaSHA512: .rsa
        case .ecdsaSHA256, .ecdsaSHA384, .ecdsaSHA512: .ecdsa
        }
    }
}
