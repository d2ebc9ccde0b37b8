import Foundation
import XMLSecurity

/// The repository's test-only keys (Mocks/keys), found from this file's location.
enum TestKeys {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mocks/keys")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func credential(_ name: String) throws -> SigningCredential {
        try SigningCredential(keyPEM: text("\(name).key"), certificatePEM: text("\(name).crt"))
    }

    static func trusted(_ name: String) throws -> TrustedCertificate {
        try TrustedCertificate(pem: text("\(name).crt"))
    }
}
