public import Foundation
public import Crypto
public import _CryptoExtras
public import X509

/// A private key the server or a mock signs with: RSA (PKCS#1 v1.5, at least 2048
/// bits) or ECDSA on P-256/P-384/P-521.
public enum SigningKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)

    /// Reads a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
    public init(pem: String) throws(XMLSecurityError) {
        if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            self = .rsa(key)
        } else if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p256(key)
        } else if let key = try? P384.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p384(key)
        } else if let key = try? P521.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p521(key)
        } else {
            throw XMLSecurityError(.keyMalformed, detail: "not a PEM RSA (≥2048 bits) or EC P-256/384/521 private key")
        }
    }

    public var family: SignatureAlgorithm.Family {
        if case .rsa = self { return .rsa }
        return .ecdsa
    }

    public var publicKey: VerificationKey {
        switch self {
        case .rsa(let k): .rsa(k.publicKey)
        case .p256(let k): .p256(k.publicKey)
        case .p384(let k): .p384(k.publicKey)
        case .p521(let k): .p521(k.publicKey)
        }
    }

    /// Signs `data` (hashing it with the algorithm's digest). ECDSA signatures are the
    /// raw `r || s` form XML-DSig and the Redirect binding use.
    public func sign(_ data: some DataProtocol, algorithm: SignatureAlgorithm) throws(XMLSecurityError) -> [UInt8] {
        guard algorithm.family == family else {
            throw XMLSecurityError(
                .signatureUnsupportedAlgorithm, value: algorithm.rawValue,
                detail: "algorithm \(algorithm.rawValue) does not fit a \(family) key")
        }
        do {
            switch self {
            case .rsa(let k):
                return try Array(Self.withDigest(data, algorithm.digest) { try k.signature(for: $0, padding: .insecurePKCS1v1_5) }.rawRepresentation)
            case .p256(let k):
                return try Array(Self.withDigest(data, algorithm.digest) { try k.signature(for: $0) }.rawRepresentation)
            case .p384(let k):
                return try Array(Self.withDigest(data, algorithm.digest) { try k.signature(for: $0) }.rawRepresentation)
            case .p521(let k):
                return try Array(Self.withDigest(data, algorithm.digest) { try k.signature(for: $0) }.rawRepresentation)
            }
        } catch let error as XMLSecurityError {
            throw error
        } catch {
            throw XMLSecurityError(.keyMalformed, detail: "signing failed: \(error)")
        }
    }

    /// Calls `body` with the typed digest of `data`, so one switch serves every key type.
    static func withDigest<R>(_ data: some DataProtocol, _ digest: DigestAlgorithm, _ body: (any Digest) throws -> R) rethrows -> R {
        switch digest {
        case .sha1: try body(Insecure.SHA1.hash(data: data))
        case .sha256: try body(SHA256.hash(data: data))
        case .sha384: try body(SHA384.hash(data: data))
        case .sha512: try body(SHA512.hash(data: data))
        }
    }
}

/// A signing key with the certificate that vouches for it (published in metadata and
/// in KeyInfo, so a peer can see which certificate to configure).
public struct SigningCredential: Sendable {
    public let key: SigningKey
    public let certificate: Certificate
    /// The certificate's DER, base64 (the X509Certificate element's content).
    public let certificateBase64: String

    public init(key: SigningKey, certificate: Certificate) throws(XMLSecurityError) {
        self.key = key
        self.certificate = certificate
        self.certificateBase64 = try Data(CertificateLoader.der(of: certificate)).base64EncodedString()
    }

    public init(keyPEM: String, certificatePEM: String) throws(XMLSecurityError) {
        try self.init(key: SigningKey(pem: keyPEM), certificate: CertificateLoader.certificate(pem: certificatePEM))
    }
}

extension SigningCredential {
    /// Whether the certificate is this key's. A credential read from two files can pair
    /// them wrongly — two files mixed up, or one replaced between the two reads — and then
    /// publishes (in metadata, in KeyInfo) a certificate its signatures do not verify with.
    /// Whoever reads key files checks it.
    public var certificateIsTheKeys: Bool {
        let publicKey: Certificate.PublicKey
        switch key {
        case .rsa(let key): publicKey = Certificate.PublicKey(key.publicKey)
        case .p256(let key): publicKey = Certificate.PublicKey(key.publicKey)
        case .p384(let key): publicKey = Certificate.PublicKey(key.publicKey)
        case .p521(let key): publicKey = Certificate.PublicKey(key.publicKey)
        }
        return certificate.publicKey == publicKey
    }
}
