public import Foundation
import X509
public import XMLSecurity
import _CryptoExtras

extension SigningCredential {
    /// A fresh RSA-2048 key with a self-signed certificate for `name`, valid for a year from
    /// a day ago: for a mock whose profile names no key files (a developer's one-command
    /// mock, a library user's in-process IdP). Its `kid` and certificate differ on every
    /// start, so nothing may record them.
    public static func generated(name: String, now: Date = Date()) throws -> SigningCredential {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: subject, subject: subject,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions {}, issuerPrivateKey: Certificate.PrivateKey(key))
        return try SigningCredential(key: .rsa(key), certificate: certificate)
    }
}
