import ArgumentParser
import ServerCommandLine

/// `identity-server --config DIR [--db PATH | --in-memory] [--host H] [--port N]`
@main
struct IdentityServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity-server",
        abstract: "The reference identity server: SAML 2.0 IdP and OpenID Provider with WSO2-style service providers.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try await ServerOptions.exitingOnCodedError("identity-server") { try await options.launch().run() }
    }
}
