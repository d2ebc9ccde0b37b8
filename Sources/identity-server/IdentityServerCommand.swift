import ArgumentParser
import ServerCommandLine

/// `identity-server --config DIR [--db PATH | --in-memory] [--host H] [--port N]` serves
/// (`serve` is the default subcommand, so it need not be named);
/// `identity-server password-hash-rate` measures the password hash; `identity-server
/// dev-certs` makes the development CA that `--tls` serves with.
@main
struct IdentityServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity-server",
        abstract: "The reference identity server: SAML 2.0 IdP and OpenID Provider with WSO2-style service providers.",
        subcommands: [Serve.self, DevCertsCommand.self, PasswordHashRateCommand.self], defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve (the default): identity-server --config DIR [options].")

        @OptionGroup var options: ServerOptions

        func run() async throws {
            try await ServerOptions.exitingOnCodedError("identity-server") { try await options.launch().run() }
        }
    }
}
