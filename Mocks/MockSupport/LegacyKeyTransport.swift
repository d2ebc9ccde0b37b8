import Crypto
import _CryptoExtras
import Foundation
import XMLSecurity

/// The `weak-key-transport` fault: the assertion encrypted as usual, but its content key
/// really wrapped with RSA PKCS#1 v1.5 (`xmlenc#rsa-1_5`), as legacy IdPs did. Its
/// padding check is Bleichenbacher's oracle, so a careful SP refuses the algorithm
/// outright; an SP that tries it would open this assertion, and so fail the fault.
struct LegacyKeyTransportEncryptor: ElementEncrypting {
    let base: XMLEncryptor

    static let uri = XMLEncryptionNamespace.xenc + "rsa-1_5"

    func encryptedData(for plaintext: [UInt8]) throws(XMLSecurityError) -> XMLTree {
        let contentKey = SymmetricKey(size: SymmetricKeySize(bitCount: base.data.keyBytes * 8))
        let wrapped: Data
        do {
            wrapped = try base.recipient.publicKey().encrypt(contentKey.withUnsafeBytes { Data($0) }, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        } catch {
            throw XMLSecurityError(.keyMalformed, detail: "PKCS#1 v1.5 wrapping failed: \(error)")
        }
        return try base.encryptedData(
            for: plaintext, contentKey: contentKey, keyMethod: XMLTree("xenc:EncryptionMethod", [("Algorithm", Self.uri)]), wrappedKey: wrapped)
    }
}
