import Foundation
import IdentityCore
import SAML
import XMLSecurity

/// Keys and a standard SP for the SAML tests (test-only keys from Mocks/keys).
enum Fixtures {
    static let keys = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mocks/keys")

    static func pem(_ name: String) -> String {
        try! String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8)
    }

    static func credential(_ name: String) -> SigningCredential {
        try! SigningCredential(keyPEM: pem("\(name).key"), certificatePEM: pem("\(name).crt"))
    }

    static func trusted(_ name: String) -> TrustedCertificate {
        try! TrustedCertificate(pem: pem("\(name).crt"))
    }

    static let acs = "https://sp.example/acs"
    static let secondACS = "https://sp.example/acs/second"
    static let ssoURL = "https://idp.example/samlsso"

    static func serviceProvider(validate: Bool = false, certificate: Bool = true) -> ServiceProvider {
        ServiceProvider(
            name: "sp", certificate: certificate ? pem("sp-rsa.crt") : nil,
            sections: [SAMLSettings(issuer: "sp.example", acsURLs: [acs, secondACS], validateRequestSignatures: validate)])
    }

    static let now = Date(timeIntervalSince1970: 1_767_258_000)
}
