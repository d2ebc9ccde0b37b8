public import ArgumentParser
public import Foundation
public import HTTPServing

/// The HTTPS options every executable that listens takes (identity-server, mock-idp,
/// mock-sp, mock-scim): `--tls` for the development CA's certificate, or `--tls-cert` and
/// `--tls-key` for one's own. They win over a `tls:` section in the configuration.
public struct TLSOptions: ParsableArguments {
    @Flag(help: "Serve HTTPS with the development CA's certificate for localhost (the CA is made on first use; see dev-certs).")
    public var tls = false

    @Option(help: "Serve HTTPS with this certificate chain (PEM, leaf first).")
    public var tlsCert: String?

    @Option(help: "The private key (PEM) of --tls-cert.")
    public var tlsKey: String?

    @Option(help: "With --tls: a further name (DNS or IP) the certificate must carry; repeatable.")
    public var tlsName: [String] = []

    @Option(help: "A PEM file of CA certificates its own https calls trust besides the system's; repeatable. --tls adds the development CA.")
    public var caBundle: [String] = []

    public init() {}

    /// What the flags ask for, or nil when they ask for nothing.
    public var settings: TLSSettings? {
        guard tls || tlsCert != nil || tlsKey != nil else { return nil }
        // Paths on the command line are the shell's: relative to where it was run.
        func absolute(_ path: String?) -> String? { path.map { URL(fileURLWithPath: $0).path } }
        return TLSSettings(certificate: absolute(tlsCert), privateKey: absolute(tlsKey), developmentCA: tls, names: tlsName)
    }

    /// The CA bundles the flags name (absolute paths), the development CA's with `--tls`.
    public var caBundles: [String] {
        caBundle.map { URL(fileURLWithPath: $0).path } + (settings?.trustedBundles ?? [])
    }

    public func validate() throws {
        if let settings, let inconsistency = settings.inconsistency {
            throw ValidationError("--tls, --tls-cert/--tls-key: \(inconsistency)")
        }
        if !tlsName.isEmpty, !tls {
            throw ValidationError("--tls-name names what the development CA's certificate carries: it needs --tls")
        }
    }
}

extension TLSOptions {
    /// The certificate and key the flags ask for (nil: plain http), read now; a development
    /// CA made by this call is announced on standard error with how to trust it.
    public func serverTLS(for command: String, relativeTo directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws(TLSError)
        -> ServerTLS?
    {
        try settings?.serverTLS(for: command, relativeTo: directory)
    }
}

extension TLSSettings {
    /// ``serverTLS(relativeTo:caDirectory:created:)`` for an executable named `command`.
    public func serverTLS(for command: String, relativeTo directory: URL) throws(TLSError) -> ServerTLS {
        try serverTLS(relativeTo: directory) { instructions in
            FileHandle.standardError.write(Data("\(command): made a development CA for --tls.\n\(instructions)\n".utf8))
        }
    }
}
