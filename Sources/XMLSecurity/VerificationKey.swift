public import Foundation
public import Crypto
public import _CryptoExtras
public import X509

/// A public key taken from a certificate configured for a peer.
public enum VerificationKey: Sendable {
    case rsa(_RSA.Signing.PublicKey)
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)

    public init(certificate: Certificate) throws(XMLSecurityError) {
        let key = certificate.publicKey
        if let k = _RSA.Signing.PublicKey(key) {
            self = .rsa(k)
        } else if let k = P256.Signing.PublicKey(key) {
            self = .p256(k)
        } else if let k = P384.Signing.PublicKey(key) {
            self = .p384(k)
        } else if let k = P521.Signing.PublicKey(key) {
            self = .p521(k)
        } else {
            throw XMLSecurityError(.certificateMalformed, detail: "the certificate's key is neither RSA nor EC P-256/384/521")
        }
    }

    public var family: SignatureAlgorithm.Family {
        if case .rsa = self { return .rsa }
        return .ecdsa
    }

    /// True when `signature` is a valid signature of `data` under this key and algorithm.
    /// A key of the wrong family never verifies.
    public func isValidSignature(_ signature: some DataProtocol, for data: some DataProtocol, algorithm: SignatureAlgorithm) -> Bool {
        guard algorithm.family == family else { return false }
        let bytes = Data(signature)
        switch self {
        case .rsa(let k):
            let s = _RSA.Signing.RSASignature(rawRepresentation: bytes)
            return SigningKey.withDigest(data, algorithm.digest) { k.isValidSignature(s, for: $0, padding: .insecurePKCS1v1_5) }
        case .p256(let k):
            guard let s = try? P256.Signing.ECDSASignature(rawRepresentation: bytes) else { return false }
            return SigningKey.withDigest(data, algorithm.digest) { k.isValidSignature(s, for: $0) }
        case .p384(let k):
            guard let s = try? P384.Signing.ECDSASignature(rawRepresentation: bytes) else { return false }
            return SigningKey.withDigest(data, algorithm.digest) { k.isValidSignature(s, for: $0) }
        case .p521(let k):
            guard let s = try? P521.Signing.ECDSASignature(rawRepresentation: bytes) else { return false }
            return SigningKey.withDigest(data, algorithm.digest) { k.isValidSignature(s, for: $0) }
        }
    }
}

/// A certificate configured as trusted for one peer, with its key ready to use.
public struct TrustedCertificate: Sendable {
    public let certificate: Certificate
    public let key: VerificationKey
    let der: [UInt8]

    public init(_ certificate: Certificate) throws(XMLSecurityError) {
        self.certificate = certificate
        self.key = try VerificationKey(certificate: certificate)
        self.der = try CertificateLoader.der(of: certificate)
    }

    public init(pem: String) throws(XMLSecurityError) {
        try self.init(CertificateLoader.certificate(pem: pem))
    }
}
