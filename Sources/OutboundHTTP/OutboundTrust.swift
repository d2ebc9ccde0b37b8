public import Foundation
public import HTTPServing
public import NIOSSL

/// Which certificates a party's own https calls accept — the identity server's calls to
/// federated IdPs and provisioning targets, a mock RP's token requests, the harness's
/// user agent and back channel. Always the system's CAs; besides them the CA bundles
/// named (a private CA, the development CA), so a staging server under a company CA is
/// reached without trusting it machine-wide. `insecureSkipVerify` checks nothing: for
/// throw-away local use only, and whoever enables it says so where its results are read
/// (the harness prints it in the run summary).
public struct OutboundTrust: Sendable, Hashable {
    /// PEM files of CA certificates, trusted besides the system's.
    public var caBundles: [String]
    /// PEM text of CA certificates (a CA made in memory for one run, `harness run --tls`).
    public var caCertificatesPEM: [String]
    public var insecureSkipVerify: Bool

    public init(caBundles: [String] = [], caCertificatesPEM: [String] = [], insecureSkipVerify: Bool = false) {
        self.caBundles = caBundles
        self.caCertificatesPEM = caCertificatesPEM
        self.insecureSkipVerify = insecureSkipVerify
    }

    /// The system's CAs only.
    public static let system = OutboundTrust()

    /// The client side of NIOSSL for this trust: TLS 1.2 and later, full verification
    /// (chain and host name) against the system roots and these CAs.
    public func tlsConfiguration() throws(TLSError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if insecureSkipVerify {
            configuration.certificateVerification = .none
            return configuration
        }
        var extra: [NIOSSLCertificate] = []
        for file in caBundles {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(file)
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                extra += certificates
            } catch {
                throw TLSError(.tlsCertificateUnreadable, field: "caBundle", value: file, detail: ServerTLS.describe(error, reading: file))
            }
        }
        for pem in caCertificatesPEM {
            do {
                extra += try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
            } catch {
                throw TLSError(.tlsCertificateUnreadable, field: "caBundle", detail: "a CA certificate that is not PEM: \(error)")
            }
        }
        if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
        return configuration
    }
}
