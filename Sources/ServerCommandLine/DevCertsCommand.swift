public import ArgumentParser
import Foundation
import HTTPServing

/// `identity-server dev-certs [--name N]… [--dir D]`: the local development CA and its
/// server certificate, made if missing, and how to trust the CA. `--tls` on any
/// executable does the same silently on first use; this command is where a developer sees
/// the files and the trust steps.
public struct DevCertsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dev-certs",
        abstract: "Make (once) a local development CA and a certificate for localhost, 127.0.0.1, ::1 and --name names, and say how to trust it.")

    @Option(help: "A further DNS name or IP address for the server certificate; repeatable (kept for later runs).")
    var name: [String] = []

    @Option(help: "The CA's directory (default: $IH_DEV_CA_DIR, else $XDG_DATA_HOME/identity-harness/dev-ca, else ~/.local/share/identity-harness/dev-ca).")
    var dir: String?

    @Flag(help: "Print only the CA certificate's path (for scripts: SSL_CERT_FILE=$(identity-server dev-certs --ca-path)).")
    var caPath = false

    public init() {}

    public func run() throws {
        let authority = DevelopmentCA(directory: dir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? DevelopmentCA.defaultDirectory())
        let preparation: DevelopmentCA.Preparation
        do {
            preparation = try authority.prepare(names: name)
        } catch {
            FileHandle.standardError.write(Data("identity-server dev-certs: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        if caPath {
            print(authority.caCertificateFile.path)
            return
        }
        print(preparation.createdCA ? "Made a new development CA." : "The development CA was already there.")
        print("""
            Server certificate \(preparation.issuedCertificate ? "issued" : "kept"): \(authority.certificateFile.path)
              key: \(authority.keyFile.path)
              names: \(preparation.names.joined(separator: ", "))
            Serve with it: identity-server --config DIR --tls, mock-idp --tls, mock-sp --tls (or --tls-cert/--tls-key for these files).

            """)
        print(authority.trustInstructions)
    }
}
