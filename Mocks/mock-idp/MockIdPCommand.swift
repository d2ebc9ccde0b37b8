import ArgumentParser
import CommandLineTLS
import OutboundHTTP
import Foundation
import HTTPServing
import Hummingbird
import IdentityCore
import MockSupport

/// `mock-idp [--config FILE] [--port N] [--server URL]`: flags, else `MOCK_IDP_*`
/// environment variables (``MockIdPLaunch``), else a built-in developer provider.
@main
struct MockIdPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-idp",
        abstract: "A mock federated identity provider — OpenID Connect, SAML 2.0, or shaped like Google, Microsoft, Facebook or GitHub — with test users and fault switches.",
        discussion: """
            With no profile it serves a generic OpenID Provider that takes any client:
                             mock-idp --port 8080   →   http://127.0.0.1:8080/<any-issuer>/.well-known/openid-configuration
            Environment:     MOCK_IDP_CONFIG (file), MOCK_IDP_CONFIG_JSON (the profile itself), MOCK_IDP_HOST,
                             MOCK_IDP_PORT, MOCK_IDP_SERVER, MOCK_IDP_PUBLIC_URL, MOCK_IDP_TLS=dev or MOCK_IDP_TLS_CERT and
                             MOCK_IDP_TLS_KEY; a flag wins over its variable.
            HTTPS:           mock-idp --tls   (the development CA's certificate; identity-server dev-certs says how to trust it)
            Mint a token:    curl -H 'content-type: application/json' -d '{"subject":"alice","audience":"my-api"}' \\
                             http://127.0.0.1:<port>/_mock/<issuer>/token
            Faults:          curl -H 'content-type: application/json' -d '{"faults":["wrong-issuer"]}' http://127.0.0.1:<port>/_mock/faults
            What it saw:     curl http://127.0.0.1:<port>/observations
            Register it:     mock-idp --profile … --port … --print-registration | \\
                             curl -u admin:admin -H 'content-type: application/json' --data-binary @- <server>/admin/v1/identity-providers
            Attacks:         mock-idp attacks --out DIR   (hostile SAML Responses to replay at an SP)
            """,
        subcommands: [Attacks.self])

    @Option(name: [.customLong("config"), .customLong("profile")], help: "The IdP profile (YAML or JSON). Default: $MOCK_IDP_CONFIG, else the built-in developer provider.")
    var config: String?

    @Option(help: "Address to listen on (default: $MOCK_IDP_HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $MOCK_IDP_PORT, else 9000).")
    var port: Int?

    @Option(help: "The identity server's base URL, {server} in the profile (default: $MOCK_IDP_SERVER, else http://127.0.0.1:9443).")
    var server: String?

    @Option(help: "The base URL clients reach this mock at, when it differs from where it listens (default: $MOCK_IDP_PUBLIC_URL).")
    var publicURL: String?

    @Flag(help: "Print the identity provider record the identity server needs for this IdP, as JSON, and exit.")
    var printRegistration = false

    @Flag(help: "With no profile: new keys at this start, instead of the ones kept on this machine ($MOCK_IDP_FRESH_KEYS=1; kept in $MOCK_IDP_KEY_DIR, else $XDG_CACHE_HOME or ~/.cache, in identity-harness/mock-idp).")
    var freshKeys = false

    @OptionGroup var tlsOptions: TLSOptions

    func run() async throws {
        do {
            let launch = try MockIdPLaunch(
                config: config, host: host, port: port, server: server, publicURL: publicURL, tls: tlsOptions.settings, freshKeys: freshKeys,
                environment: ProcessInfo.processInfo.environment)
            let profile: IdPProfile
            let directory: URL
            let party: PartyProfile?
            var keys: KeptDeveloperKeys.Keys?
            switch launch.source {
            case .file(let path):
                let file = URL(fileURLWithPath: path)
                directory = file.deletingLastPathComponent()
                party = try PartyProfile.load(file)
            case .inline(let text):
                directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                party = try PartyProfile.load(text: text, file: URL(fileURLWithPath: "MOCK_IDP_CONFIG_JSON"))
            case .developerDefault:
                directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                party = .idp(try IdPProfile.developerDefault)
                // A registration names no keys: printing one makes none.
                if !printRegistration {
                    keys = launch.developerKeys { warning in FileHandle.standardError.write(Data("mock-idp: \(warning)\n".utf8)) }
                }
            }
            guard case .idp(let loaded) = party else {
                throw MockError(.mockProfileInvalid, field: "role", detail: "not an identity provider profile (role: idp): run service providers with mock-sp")
            }
            profile = loaded
            let placeholders = Placeholders(values: ["server": launch.server, "idp": launch.ownURL], baseDirectory: directory)
            if printRegistration {
                guard let registration = profile.registration else {
                    throw MockError(.mockProfileInvalid, field: "registration", detail: "the profile has no registration")
                }
                print(try registration.mapStrings(placeholders.substitute).json)
                return
            }
            // Read (and the development CA made) before the mock, whose client trusts that CA.
            let tls = try launch.tls.map { settings throws(TLSError) in try settings.serverTLS(for: "mock-idp", relativeTo: directory) }
            let mock = try await MockIdentityProvider(
                profile: profile, keys: keys, directory: directory, placeholders: placeholders, clock: SystemWallClock(), random: SystemRandomSource(),
                outbound: OutboundTrust(caBundles: Array(Set(tlsOptions.caBundles + (launch.tls?.trustedBundles ?? []))).sorted()))
            if let url = launch.publicURL { mock.pinPublicURL(url) }
            try await mock.application(host: launch.host, port: launch.port, tls: tls, logger: MockServiceProvider.logger(default: .info, label: "mock-idp")) { _ in
                let url = mock.baseURL
                let users = profile.users.map(\.username).joined(separator: ", ")
                let issuer = profile.kind == .oidc ? " issuers at \(url)/<name> (e.g. \(url)/\(profile.issuerName));" : ""
                print("mock-idp (\(profile.kind.rawValue)) listening on \(url):\(issuer) test users \(users.isEmpty ? "none" : users); observations at \(url)/observations")
            }.runService()
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("mock-idp: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
