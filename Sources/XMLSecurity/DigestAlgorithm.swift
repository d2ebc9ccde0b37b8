public import IdentityCore
import Crypto

/// Digest algorithms of the SAML signature profile.
public enum DigestAlgorithm: String, CaseIterable, Sendable, ConfigurationEnum {
    case sha1, sha256, sha384, sha512

    public var uri: String {
        switch self {
        case .sha1: "http://www.w3.org/2000/09/xmldsig#sha1"
        case .sha256: "http://www.w3.org/2001/04/xmlenc#sha256"
        case .sha384: "http://www.w3.org/2001/04/xmldsig-more#sha384"
        case .sha512: "http://www.w3.org/2001/04/xmlenc#sha512"
        }
    }

    public init?(uri: String) {
        guard let match = Self.allCases.first(where: { $0.uri == uri }) else { return nil }
        self = match
    }

    public func hash(_ bytes: some DataProtocol) -> [UInt8] {
        switch self {
        case .sha1: Array(Insecure.SHA1.hash(data: bytes))
        case .sha256: Array(SHA256.hash(data: bytes))
        case .sha384: Array(SHA384.hash(data: bytes))
        case .sha512: Array(SHA512.hash(data: bytes))
        }
    }
}

public import Foundation
