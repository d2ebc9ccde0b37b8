public import Foundation
public import Crypto
public import _CryptoExtras
public import X509

/// Whom an element is encrypted for: the RSA key of a peer's certificate (a service
/// provider's encryption certificate).
public struct EncryptionRecipient: Sendable {
    public let certificate: Certificate
    /// SubjectPublicKeyInfo DER (swift-crypto's encryption keys are not Sendable).
    let keyDER: Data
    /// The certificate's DER, base64, named in the EncryptedKey's KeyInfo so a recipient
    /// with several keys knows which one to use.
    public let certificateBase64: String

    /// Refuses a certificate without an RSA key of at least 2048 bits: RSA-OAEP is the
    /// only key transport SAML software shares.
    public init(_ certificate: Certificate) throws(XMLSecurityError) {
        guard let signingView = _RSA.Signing.PublicKey(certificate.publicKey),
            let key = try? _RSA.Encryption.PublicKey(derRepresentation: signingView.derRepresentation)
        else {
            throw XMLSecurityError(.certificateMalformed, detail: "an encryption certificate must hold an RSA key")
        }
        guard key.keySizeInBits >= 2048 else {
            throw XMLSecurityError(.certificateMalformed, detail: "the encryption certificate's RSA key has \(key.keySizeInBits) bits; at least 2048 are needed")
        }
        self.certificate = certificate
        self.keyDER = signingView.derRepresentation
        self.certificateBase64 = try Data(CertificateLoader.der(of: certificate)).base64EncodedString()
    }

    public init(pem: String) throws(XMLSecurityError) {
        try self.init(CertificateLoader.certificate(pem: pem))
    }

    /// The RSA key to wrap a content key for.
    public func publicKey() throws -> _RSA.Encryption.PublicKey {
        try _RSA.Encryption.PublicKey(derRepresentation: keyDER)
    }
}

/// Something that encrypts one serialized element into `xenc:EncryptedData`: the
/// `XMLEncryptor`, or a mock's deliberately broken variant.
public protocol ElementEncrypting: Sendable {
    func encryptedData(for plaintext: [UInt8]) throws(XMLSecurityError) -> XMLTree
}

/// Encrypts one serialized element as XML Encryption `EncryptedData` of type Element, the
/// content key carried by an `EncryptedKey` inside its KeyInfo — the shape SAML core §6
/// and every SAML SP expect inside `EncryptedAssertion`.
///
/// The content key and IVs come from the system's secure random generator, never from
/// the injected (and, under the harness, seeded) `RandomSource`: they are secrets. RSA-OAEP
/// is randomized too, so an encrypted message is never byte-identical run to run; the
/// recorded vectors hold what the recipient decrypted, not the ciphertext.
public struct XMLEncryptor: ElementEncrypting {
    public var recipient: EncryptionRecipient
    public var data: DataEncryptionAlgorithm
    public var keyTransport: KeyTransportAlgorithm

    public init(recipient: EncryptionRecipient, data: DataEncryptionAlgorithm, keyTransport: KeyTransportAlgorithm) {
        self.recipient = recipient
        self.data = data
        self.keyTransport = keyTransport
    }

    /// The `xenc:EncryptedData` element for `plaintext` (the UTF-8 of one element, with
    /// the namespace declarations it needs).
    public func encryptedData(for plaintext: [UInt8]) throws(XMLSecurityError) -> XMLTree {
        let contentKey = SymmetricKey(size: SymmetricKeySize(bitCount: data.keyBytes * 8))
        let wrappedKey: Data
        do {
            let keyBytes = contentKey.withUnsafeBytes { Data($0) }
            wrappedKey = try recipient.publicKey().encrypt(keyBytes, padding: keyTransport == .rsaOAEPMGF1P ? .PKCS1_OAEP : .PKCS1_OAEP_SHA256)
        } catch {
            throw XMLSecurityError(.keyMalformed, detail: "RSA-OAEP encryption of the content key failed: \(error)")
        }
        var keyMethod = XMLTree("xenc:EncryptionMethod", [("Algorithm", keyTransport.uri)], children: [
            XMLTree("ds:DigestMethod", [("Algorithm", keyTransport.digest.uri)])
        ])
        if keyTransport == .rsaOAEPSHA256 {
            keyMethod.children.append(.element(XMLTree("xenc11:MGF", [("Algorithm", KeyTransportAlgorithm.mgf1SHA256URI)])))
        }
        return try encryptedData(for: plaintext, contentKey: contentKey, keyMethod: keyMethod, wrappedKey: wrappedKey)
    }

    /// The EncryptedData around `plaintext` encrypted with `contentKey`, which the caller
    /// has wrapped (`wrappedKey`, by `keyMethod`): the building block for a party that
    /// wraps the key its own way — a mock IdP's `weak-key-transport` fault.
    public func encryptedData(for plaintext: [UInt8], contentKey: SymmetricKey, keyMethod: XMLTree, wrappedKey: Data) throws(XMLSecurityError) -> XMLTree {
        let cipherText = try Self.encrypt(plaintext, with: contentKey, algorithm: data)
        let encryptedKey = XMLTree("xenc:EncryptedKey", children: [
            keyMethod,
            XMLTree("ds:KeyInfo", children: [
                XMLTree("ds:X509Data", children: [XMLTree("ds:X509Certificate", text: recipient.certificateBase64)])
            ]),
            XMLTree("xenc:CipherData", children: [XMLTree("xenc:CipherValue", text: wrappedKey.base64EncodedString())]),
        ])
        return XMLTree(
            "xenc:EncryptedData",
            [
                ("xmlns:xenc", XMLEncryptionNamespace.xenc), ("xmlns:ds", XMLNamespace.dsig),
                ("xmlns:xenc11", keyMethod.serialized().contains("xenc11:") ? XMLEncryptionNamespace.xenc11 : nil),
                ("Type", XMLEncryptionNamespace.elementType),
            ],
            children: [
                XMLTree("xenc:EncryptionMethod", [("Algorithm", data.uri)]),
                XMLTree("ds:KeyInfo", children: [encryptedKey]),
                XMLTree("xenc:CipherData", children: [XMLTree("xenc:CipherValue", text: Data(cipherText).base64EncodedString())]),
            ])
    }

    /// `IV || ciphertext` for CBC (PKCS#7 padding, which is one of the paddings XML
    /// Encryption §5.2 allows); `IV || ciphertext || tag` for GCM (XML Encryption 1.1 §5.2.4).
    static func encrypt(_ plaintext: [UInt8], with key: SymmetricKey, algorithm: DataEncryptionAlgorithm) throws(XMLSecurityError) -> [UInt8] {
        do {
            if algorithm.isGCM {
                guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
                    throw XMLSecurityError(.keyMalformed, detail: "AES-GCM produced no combined form")
                }
                return Array(combined)
            }
            let iv = AES._CBC.IV()  // from SystemRandomNumberGenerator
            return Array(iv) + Array(try AES._CBC.encrypt(plaintext, using: key, iv: iv))
        } catch let error as XMLSecurityError {
            throw error
        } catch {
            throw XMLSecurityError(.keyMalformed, detail: "AES encryption failed: \(error)")
        }
    }
}
