import ArgumentParser
import AsyncHTTPClient
import Foundation
import ScenarioKit

extension HarnessCommand {
    /// The hostile IdP of an app file, alone and honest: to configure the application
    /// against it once (its metadata, discovery document and keys never change), or to
    /// log in to the application by hand.
    struct IdP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "idp",
            abstract: "Serve an app file's identity provider (no faults) at its fixed address, or print its SAML metadata.")

        @Option(help: "The app file (Targets/apps/*.yaml).")
        var app: String

        @Flag(help: "Print the IdP's SAML metadata (what a SAML application trusts) and exit.")
        var printMetadata = false

        @Option(help: "Repository root (default: found above the current directory).")
        var root: String?

        func run() async throws {
            let file = try AppTargetFile.load(URL(fileURLWithPath: app), displayName: app)
            let rootURL = try SuiteOptions.parse(root.map { ["--root", $0] } ?? []).repositoryRoot()
            let client = try HTTPClient.harness(trusting: file.trust)
            let runner = AppRunner(root: rootURL, file: file, suite: AppSuite(cases: []), client: client)
            let idp = try await runner.hostileIdP()
            let server = try await idp.start(host: file.host, port: file.port, tap: nil)
            if printMetadata {
                guard file.kind == .saml else {
                    await server.stop()
                    try await client.shutdown()
                    throw ValidationError("--print-metadata is for SAML applications; an OIDC one discovers \(file.idpURL)/\(idp.profile.issuerName)/.well-known/openid-configuration")
                }
                let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/metadata"), timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1024 * 1024)
                print(String(buffer: body), terminator: "")
                await server.stop()
                try await client.shutdown()
                return
            }
            print(file.kind == .saml
                ? "hostile SAML IdP (honest for now) at \(server.baseURL): metadata \(server.baseURL)/metadata"
                : "hostile OpenID Provider (honest for now) at \(server.baseURL)/\(idp.profile.issuerName): discovery \(server.baseURL)/\(idp.profile.issuerName)/.well-known/openid-configuration")
            print("faults and attacks: POST \(server.baseURL)/_mock/faults, /_mock/attack, /_mock/auto-login; Ctrl-C stops it")
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
