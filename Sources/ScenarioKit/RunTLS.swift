public import HTTPServing
public import OutboundHTTP

/// `harness run --tls`: every party of a run — the embedded server, each mock, the
/// browser and the back channel — on https under a CA made for the run. The CA lives in
/// memory only (``DevelopmentCA/ephemeral(names:)``): the run's parties are all in one
/// process, so nothing is written and nothing on the machine is asked to trust it.
public struct RunTLS: Sendable {
    /// The certificate every party serves: for `localhost`, `::1` and the loopback
    /// addresses the runner gives parties (127.0.0.1 for the server, 127.0.0.2 onwards
    /// for the mocks, one each, so that SameSite separates them as it would real sites).
    public let server: ServerTLS
    public let caCertificatePEM: String

    public init(server: ServerTLS, caCertificatePEM: String) {
        self.server = server
        self.caCertificatePEM = caCertificatePEM
    }

    /// How many loopback addresses the certificate names.
    public static let loopbackAddresses = 32

    public static func make() throws(TLSError) -> RunTLS {
        let names = ["localhost", "::1"] + (1...loopbackAddresses).map { "127.0.0.\($0)" }
        let made = try DevelopmentCA.ephemeral(names: names)
        return RunTLS(server: made.server, caCertificatePEM: made.caCertificatePEM)
    }

    /// What the run's clients trust: the system's CAs and this run's.
    public var trust: OutboundTrust { OutboundTrust(caCertificatesPEM: [caCertificatePEM]) }
}
