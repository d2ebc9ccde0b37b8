public import Foundation

/// How a party serves HTTPS: certificate files, or the development CA's certificate. In
/// `server.yaml` (and a mock's profile) as
///
///     tls:
///       certificate: tls/server.pem        # the chain, leaf first (relative to the file)
///       privateKey: tls/server-key.pem
///
/// or `tls: { developmentCA: true, names: [id.example.test] }`, either with
/// `httpRedirectPort: 9763` for a plain-http listener that only redirects; on the command
/// line `--tls-cert` and `--tls-key`, or `--tls` (and `--tls-name`, `--http-redirect-port`).
public struct TLSSettings: Decodable, Sendable, Equatable {
    public var certificate: String?
    public var privateKey: String?
    /// The development CA's server certificate (``DevelopmentCA``), made on first use.
    public var developmentCA: Bool
    /// Names the development CA's certificate must carry besides the loopback ones.
    public var names: [String]
    /// A plain-http port beside the https one that only redirects to it (identity-server).
    public var httpRedirectPort: Int?

    public init(certificate: String? = nil, privateKey: String? = nil, developmentCA: Bool = false, names: [String] = [], httpRedirectPort: Int? = nil) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.developmentCA = developmentCA
        self.names = names
        self.httpRedirectPort = httpRedirectPort
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case certificate, privateKey, developmentCA, names, httpRedirectPort
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            certificate: try c.decodeIfPresent(String.self, forKey: .certificate), privateKey: try c.decodeIfPresent(String.self, forKey: .privateKey),
            developmentCA: try c.decodeIfPresent(Bool.self, forKey: .developmentCA) ?? false, names: try c.decodeIfPresent([String].self, forKey: .names) ?? [],
            httpRedirectPort: try c.decodeIfPresent(Int.self, forKey: .httpRedirectPort))
        if let problem {
            throw DecodingError.dataCorruptedError(forKey: problem.key, in: c, debugDescription: problem.detail)
        }
    }

    /// What does not hold together: a certificate without its key, files and the CA both.
    var problem: (key: CodingKeys, detail: String)? {
        if (certificate == nil) != (privateKey == nil) {
            return (certificate == nil ? .certificate : .privateKey, "a TLS certificate and its privateKey come together")
        }
        if developmentCA, certificate != nil {
            return (.developmentCA, "either certificate files or the development CA, not both")
        }
        if certificate == nil, !developmentCA {
            return (.certificate, "tls names certificate and privateKey files, or developmentCA: true")
        }
        if let port = httpRedirectPort, !(1...65_535).contains(port) {
            return (.httpRedirectPort, "a port number, 1 to 65535")
        }
        return nil
    }

    /// The certificate and key to serve: files resolved against `directory` (the
    /// configuration's), or the development CA's in `caDirectory` — and when that CA is
    /// made now, `created` hears how to trust it.
    public func serverTLS(
        relativeTo directory: URL, caDirectory: URL = DevelopmentCA.defaultDirectory(), created: (String) -> Void = { _ in }
    ) throws(TLSError) -> ServerTLS {
        if let certificate, let privateKey {
            return try ServerTLS(
                certificateFile: URL(fileURLWithPath: certificate, relativeTo: directory).path,
                privateKeyFile: URL(fileURLWithPath: privateKey, relativeTo: directory).path)
        }
        let authority = DevelopmentCA(directory: caDirectory)
        let prepared = try authority.prepare(names: names)
        if prepared.createdCA { created(authority.trustInstructions) }
        return try authority.serverTLS(prepared)
    }

    /// The CA bundle a party serving these settings trusts for its own calls besides the
    /// system's: the development CA's certificate, when it serves that CA's certificate —
    /// its peers started with `--tls` serve the same CA's.
    public var trustedBundles: [String] {
        developmentCA ? [DevelopmentCA(directory: DevelopmentCA.defaultDirectory()).caCertificateFile.path] : []
    }
}

extension TLSSettings {
    /// Why these settings cannot serve, in words (a command line's refusal), or nil.
    public var inconsistency: String? { problem?.detail }
}
