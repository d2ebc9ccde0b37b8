public import Foundation
public import XMLSecurity
import StrictYAML

/// The server's signing credentials, by key family.
public struct ServerCredentials: Sendable {
    public var rsa: SigningCredential?
    public var ec: SigningCredential?

    public init(rsa: SigningCredential?, ec: SigningCredential?) {
        self.rsa = rsa
        self.ec = ec
    }

    /// Loads the PEM files named in `server.yaml`, relative to the configuration directory.
    public init(files: ServerSettings.KeyFiles, relativeTo directory: URL) throws {
        func load(_ pair: ServerSettings.KeyPair?, _ name: String) throws -> SigningCredential? {
            guard let pair else { return nil }
            let keyURL = URL(fileURLWithPath: pair.privateKey, relativeTo: directory)
            let certificateURL = URL(fileURLWithPath: pair.certificate, relativeTo: directory)
            do {
                return try SigningCredential(
                    keyPEM: String(contentsOf: keyURL, encoding: .utf8), certificatePEM: String(contentsOf: certificateURL, encoding: .utf8))
            } catch let error as XMLSecurityError {
                throw ConfigurationError(error.code, file: "server.yaml", line: nil, column: nil, path: "keys.\(name)", reason: error.detail)
            } catch {
                throw ConfigurationError(
                    .configInvalidValue, file: "server.yaml", line: nil, column: nil, path: "keys.\(name)",
                    reason: "cannot read \(keyURL.path) or \(certificateURL.path): \(error.localizedDescription)")
            }
        }
        self.init(rsa: try load(files.rsa, "rsa"), ec: try load(files.ec, "ec"))
        if rsa == nil && ec == nil {
            throw ConfigurationError(
                .configMissingKey, file: "server.yaml", line: nil, column: nil, path: "keys",
                reason: "the server needs at least one signing key (keys.rsa or keys.ec)")
        }
    }

    /// Loads the keys named in `settings` and checks the default signature algorithm
    /// (SA-6) has a key, so a wrong default fails at start, not at the first login.
    public init(settings: ServerSettings, relativeTo directory: URL) throws {
        try self.init(files: settings.keys, relativeTo: directory)
        if credential(for: settings.defaultSignatureAlgorithm) == nil {
            throw ConfigurationError(
                .configInvalidValue, file: "server.yaml", line: nil, column: nil, path: "saml.signatureAlgorithm",
                reason: "the default \(settings.defaultSignatureAlgorithm.rawValue) needs a key in keys.\(settings.defaultSignatureAlgorithm.family == .rsa ? "rsa" : "ec")")
        }
    }

    public var families: Set<String> {
        var result = Set<String>()
        if rsa != nil { result.insert("rsa") }
        if ec != nil { result.insert("ec") }
        return result
    }

    public var all: [SigningCredential] { [rsa, ec].compactMap { $0 } }

    public func credential(for algorithm: SignatureAlgorithm) -> SigningCredential? {
        algorithm.family == .rsa ? rsa : ec
    }
}
