import ArgumentParser
import Foundation
import Hummingbird
import IdentityCore
import MockSupport

/// `mock-sp --profile Mocks/sps/<name>.yaml --port N [--server URL]`
@main
struct MockSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-sp",
        abstract: "A mock SAML service provider that records what it receives.",
        discussion: """
            Start a login:   open http://127.0.0.1:<port>/login?binding=post&sign=valid
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

    func run() async throws {
        let file = URL(fileURLWithPath: profile)
        let directory = file.deletingLastPathComponent()
        do {
            let loaded = try SPProfile.load(file)
            let ownURL = "http://\(host):\(port)"
            let placeholders = Placeholders(values: ["server": server, "sp": ownURL], baseDirectory: directory)
            if printRegistration {
                guard let registration = loaded.registration else {
                    throw MockError(.mockProfileInvalid, field: "registration", detail: "the profile has no registration")
                }
                print(try registration.mapStrings(placeholders.substitute).json)
                return
            }
            let resolved = try ResolvedSPProfile(loaded, directory: directory, placeholders: placeholders)
            let mock = MockServiceProvider(profile: resolved, clock: SystemWallClock(), random: SystemRandomSource())
            let app = mock.application(host: host, port: port, logger: MockServiceProvider.logger(default: .info)) { url in
                print("mock-sp '\(loaded.entityID)' listening on \(url) — start a login at \(url)/login, observations at \(url)/observations")
            }
            try await app.runService()
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("mock-sp: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
