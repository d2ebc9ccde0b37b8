import Foundation
public import NIOSSL

/// What an https listener serves: its certificate chain (leaf first) and private key, read
/// once at start so a missing file or a key that does not match fails the start with a
/// coded error rather than the first handshake.
///
/// TLS 1.2 is the oldest version offered (RFC 9325 §3.1.1: TLS 1.0 and 1.1 must not be
/// negotiated); ALPN offers `h2` and `http/1.1`, so a client that speaks HTTP/2 gets it.
public struct ServerTLS: Sendable {
    public let certificateChain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    /// Where the chain and key came from, for the start-up log line.
    public let source: String

    /// The chain and key from PEM files (`--tls-cert`, `--tls-key`; a `tls:` section).
    public init(certificateFile: String, privateKeyFile: String) throws(TLSError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw TLSError(.tlsCertificateUnreadable, field: "certificate", value: certificateFile, detail: Self.describe(error, reading: certificateFile))
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        } catch {
            throw TLSError(.tlsKeyUnreadable, field: "privateKey", value: privateKeyFile, detail: Self.describe(error, reading: privateKeyFile))
        }
        try self.init(chain: chain, key: key, source: certificateFile)
    }

    /// The chain and key as PEM text (a development CA made in memory, a test).
    public init(certificateChainPEM: String, privateKeyPEM: String, source: String = "PEM in memory") throws(TLSError) {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8))
        } catch {
            throw TLSError(.tlsCertificateUnreadable, field: "certificate", detail: "not a PEM certificate chain: \(error)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        } catch {
            throw TLSError(.tlsKeyUnreadable, field: "privateKey", detail: "not a PEM private key: \(error)")
        }
        try self.init(chain: chain, key: key, source: source)
    }

    private init(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey, source: String) throws(TLSError) {
        guard !chain.isEmpty else {
            throw TLSError(.tlsCertificateUnreadable, field: "certificate", value: source, detail: "the file holds no PEM certificate")
        }
        certificateChain = chain
        privateKey = key
        self.source = source
        // The pair is checked now: BoringSSL refuses a key that is not the leaf's when a
        // context is made with both (SSL_CTX_use_PrivateKey).
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSError(.tlsKeyMismatch, field: "privateKey", value: source, detail: "the private key is not the one the certificate in \(source) was issued for, or NIOSSL cannot use it (\(error))")
        }
    }

    /// The server side of NIOSSL: this chain and key, TLS 1.2 and later. Closing a
    /// connection sends close_notify and does not wait for the client's (RFC 8446 §6.1 does
    /// not ask it to): NIOSSL's default waits up to 5 s, and a client keeping the idle
    /// connection in its pool never answers, so every graceful stop took that long.
    public var configuration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        configuration.shutdownTimeout = .zero
        return configuration
    }

    /// Why a PEM file could not be read, naming it.
    public static func describe(_ error: any Error, reading path: String) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { return "no readable file at \(path)" }
        return "\(path) is not PEM (\(error))"
    }
}
