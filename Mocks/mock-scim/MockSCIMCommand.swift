import ArgumentParser
import CommandLineTLS
import HTTPServing
import Foundation
import Hummingbird
import IdentityCore
import MockSupport

/// `mock-scim --profile Mocks/scim/<name>.yaml --port N`
@main
struct MockSCIMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-scim",
        abstract: "A mock SCIM 2.0 service (Users, Groups) that records every request and misbehaves on demand: a target for outbound provisioning.",
        discussion: """
            Its users:        curl -u provisioner:crm-secret http://127.0.0.1:<port>/scim2/Users
            What it got:      curl http://127.0.0.1:<port>/observations
            Misbehave:        curl -d unavailable=3 -d retryAfter=2 http://127.0.0.1:<port>/_mock/faults
                              (also slowSeconds, conflict=true, dropAttribute=name.familyName, rejectUsers=true)
            Register it:      mock-scim --profile … --port … --print-registration | \\
                              curl -u admin:admin -H 'content-type: application/json' --data-binary @- <server>/admin/v1/identity-providers
            """)

    @Option(help: "The SCIM service profile (YAML, kind: scim).")
    var profile: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 9700

    @Flag(help: "Print the identity provider record (kind scim) that makes it a provisioning target, as JSON, and exit.")
    var printRegistration = false

    @OptionGroup var tlsOptions: TLSOptions

    func run() async throws {
        let file = URL(fileURLWithPath: profile)
        do {
            guard case .scim(let loaded) = try PartyProfile.load(file) else {
                throw MockError(.mockProfileInvalid, field: "kind", detail: "not a SCIM service profile (kind: scim)")
            }
            let ownURL = HTTPLimits.url(host: host, port: port, https: tlsOptions.settings != nil)
            if printRegistration {
                guard let registration = loaded.registration else {
                    throw MockError(.mockProfileInvalid, field: "registration", detail: "the profile has no registration")
                }
                let placeholders = Placeholders(values: ["idp": ownURL], baseDirectory: file.deletingLastPathComponent())
                print(try registration.mapStrings(placeholders.substitute).json)
                return
            }
            let mock = MockSCIMService(profile: loaded, clock: SystemWallClock(), random: SystemRandomSource())
            let tls = try tlsOptions.serverTLS(for: "mock-scim")
            try await mock.application(host: host, port: port, tls: tls, logger: MockServiceProvider.logger(default: .info, label: "mock-scim")) { url in
                print("mock-scim listening on \(url): SCIM at \(url)/scim2 (Users, Groups), observations at \(url)/observations")
            }.runService()
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("mock-scim: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
