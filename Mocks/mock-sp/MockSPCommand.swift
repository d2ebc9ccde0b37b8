import ArgumentParser
import CommandLineTLS
import HTTPServing
import OutboundHTTP
import Foundation
import Hummingbird
import IdentityCore
import MockSupport

/// `mock-sp --profile Mocks/sps/<name>.yaml --port N [--server URL]`
@main
struct MockSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-sp",
        abstract: "A mock service provider — a SAML SP or an OpenID Connect RP, as its profile says — that records what it receives.",
        discussion: """
            Start a login:   open http://127.0.0.1:<port>/login                (SAML: ?binding=post&sign=valid; OIDC: ?pkce=S256&scope=openid%20email)
            See what it got: curl http://127.0.0.1:<port>/observations
            Register it:     mock-sp --profile … --port … --print-registration | \\
                             curl -u admin:admin -H 'content-type: application/json' --data-binary @- <server>/admin/v1/service-providers
            """)

    @Option(help: "The SP profile (YAML).")
    var profile: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8081

    @Option(help: "The identity server's base URL ({server} in the profile).")
    var server = "http://127.0.0.1:9443"

    @Flag(help: "Print the service provider record the identity server needs for this SP, as JSON, and exit.")
    var printRegistration = false

    @OptionGroup var tlsOptions: TLSOptions

    func run() async throws {
        let file = URL(fileURLWithPath: profile)
        let directory = file.deletingLastPathComponent()
        do {
            let loaded = try PartyProfile.load(file)
            let ownURL = HTTPLimits.url(host: host, port: port, https: tlsOptions.settings != nil)
            let placeholders = Placeholders(values: ["server": server, "sp": ownURL], baseDirectory: directory)
            if printRegistration {
                guard let registration = loaded.registration else {
                    throw MockError(.mockProfileInvalid, field: "registration", detail: "the profile has no registration")
                }
                print(try registration.mapStrings(placeholders.substitute).json)
                return
            }
            let logger = MockServiceProvider.logger(default: .info)
            let tls = try tlsOptions.serverTLS(for: "mock-sp")
            switch loaded {
            case .saml(let profile):
                let resolved = try ResolvedSPProfile(profile, directory: directory, placeholders: placeholders)
                let mock = MockServiceProvider(profile: resolved, clock: SystemWallClock(), random: SystemRandomSource())
                try await mock.application(host: host, port: port, tls: tls, logger: logger) { url in
                    print("mock-sp (SAML SP '\(profile.entityID)') listening on \(url): start a login at \(url)/login, observations at \(url)/observations")
                }.runService()
            case .oidc(let profile):
                let mock = try await MockRelyingParty(
                    profile: profile, directory: directory, placeholders: placeholders, clock: SystemWallClock(), random: SystemRandomSource(),
                    outbound: OutboundTrust(caBundles: tlsOptions.caBundles))
                try await mock.application(host: host, port: port, tls: tls, logger: logger) { url in
                    print("mock-sp (OIDC RP '\(profile.clientID)') listening on \(url): start a login at \(url)/login, observations at \(url)/observations")
                }.runService()
            case .idp:
                throw MockError(.mockProfileInvalid, field: "role", value: "idp", detail: "this is an identity provider profile: run it with mock-idp")
            case .scim:
                throw MockError(.mockProfileInvalid, field: "kind", value: "scim", detail: "this is a SCIM service profile: run it with mock-scim")
            }
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("mock-sp: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
