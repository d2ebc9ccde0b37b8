import ArgumentParser
import Foundation
import Hummingbird
import IdentityCore
import MockSupport

/// `mock-idp --profile Mocks/idps/<name>.yaml --port N [--server URL]`
@main
struct MockIdPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-idp",
        abstract: "A mock federated identity provider — OpenID Connect, SAML 2.0, or shaped like Google, Microsoft, Facebook or GitHub — with test users and fault switches.",
        discussion: """
            OIDC discovery:  curl http://127.0.0.1:<port>/<issuer>/.well-known/openid-configuration   (google: /.well-known/…)
            Faults:          curl -X POST -d '{"faults":["wrong-issuer"]}' http://127.0.0.1:<port>/_mock/faults
            What it saw:     curl http://127.0.0.1:<port>/observations
            Register it:     mock-idp --profile … --port … --print-registration | \\
                             curl -u admin:admin -H 'content-type: application/json' --data-binary @- <server>/admin/v1/identity-providers
            Attacks:         mock-idp attacks --out DIR   (hostile SAML Responses to replay at an SP)
            """,
        subcommands: [Attacks.self])

    // Optional to ArgumentParser only so that `mock-idp attacks` does not need it; serving requires it.
    @Option(help: "The IdP profile (YAML); required to serve.")
    var profile: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 9000

    @Option(help: "The identity server's base URL ({server} in the profile).")
    var server = "http://127.0.0.1:9443"

    @Flag(help: "Print the identity provider record the identity server needs for this IdP, as JSON, and exit.")
    var printRegistration = false

    func run() async throws {
        guard let profile else { throw ValidationError("--profile is required: mock-idp --profile Mocks/idps/<name>.yaml --port N") }
        let file = URL(fileURLWithPath: profile)
        let directory = file.deletingLastPathComponent()
        do {
            guard case .idp(let profile) = try PartyProfile.load(file) else {
                throw MockError(.mockProfileInvalid, field: "role", detail: "not an identity provider profile (role: idp): run service providers with mock-sp")
            }
            let ownURL = "http://\(host):\(port)"
            let placeholders = Placeholders(values: ["server": server, "idp": ownURL], baseDirectory: directory)
            if printRegistration {
                guard let registration = profile.registration else {
                    throw MockError(.mockProfileInvalid, field: "registration", detail: "the profile has no registration")
                }
                print(try registration.mapStrings(placeholders.substitute).json)
                return
            }
            let mock = try await MockIdentityProvider(
                profile: profile, directory: directory, placeholders: placeholders, clock: SystemWallClock(), random: SystemRandomSource())
            try await mock.application(host: host, port: port, logger: MockServiceProvider.logger(default: .info, label: "mock-idp")) { url in
                print("mock-idp (\(profile.kind.rawValue)) listening on \(url): test users \(profile.users.map(\.username).joined(separator: ", ")); observations at \(url)/observations")
            }.runService()
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("mock-idp: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
