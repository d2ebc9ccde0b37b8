public import Foundation
public import XMLSecurity

/// What the fuzz targets share: turning libFuzzer's buffer into `Data`, the replay entry
/// point of a plain build, and the keys the vectors are signed with.
public enum Fuzz {
    /// libFuzzer's input as bytes.
    public static func data(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Data {
        pointer.map { Data(bytes: $0, count: size) } ?? Data()
    }

    /// A plain build's `main`: feeds each file named on the command line to the target's
    /// entry point (seeds and regression inputs; a crash is the failure).
    public static func replay(_ name: String, _ entry: (UnsafePointer<UInt8>?, Int) -> CInt) throws {
        let paths = CommandLine.arguments.dropFirst()
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = data.withUnsafeBytes { entry($0.bindMemory(to: UInt8.self).baseAddress, data.count) }
        }
        print("\(name): replayed \(paths.count) inputs")
    }

    /// The SP key the encrypted seeds are encrypted for (`Tests/Fuzz/Seeds/saml`).
    public static let decryptor: XMLDecryptor? = {
        guard let key = try? String(contentsOfFile: "Mocks/keys/sp-rsa.key", encoding: .utf8),
            let certificate = try? String(contentsOfFile: "Mocks/keys/sp-rsa.crt", encoding: .utf8),
            let credential = try? SigningCredential(keyPEM: key, certificatePEM: certificate)
        else { return nil }
        return try? XMLDecryptor(credential: credential)
    }()

    /// The IdP certificate the SAML vectors are signed with (`IH_FUZZ_CERT` to change).
    public static let trusted: [TrustedCertificate] = {
        let path = ProcessInfo.processInfo.environment["IH_FUZZ_CERT"] ?? "Mocks/keys/idp-rsa.crt"
        return (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { try? TrustedCertificate(pem: $0) }.map { [$0] } ?? []
    }()
}
