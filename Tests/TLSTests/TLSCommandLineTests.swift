import ArgumentParser
import AsyncHTTPClient
import CommandLineTLS
import Foundation
import HTTPServing
import IdentityCore
import MockSupport
import OutboundHTTP
import ScenarioKit
import StrictYAML
import TestSupport
import Testing

/// `--tls`, `--tls-cert`/`--tls-key`, `tls:` in a configuration, `MOCK_IDP_TLS*`, and the
/// shipped executables serving https with the development CA.
struct TLSCommandLineTests {
    static let executables = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    @Test func theFlagsAskForFilesOrTheDevelopmentCAAndRefuseHalfAPair() throws {
        let files = try TLSOptions.parse(["--tls-cert", "tls/server.pem", "--tls-key", "/etc/key.pem"]).settings
        #expect(files?.certificate == FileManager.default.currentDirectoryPath + "/tls/server.pem")
        #expect(files?.privateKey == "/etc/key.pem")
        #expect(files?.developmentCA == false)
        let development = try TLSOptions.parse(["--tls", "--tls-name", "idp.test"]).settings
        #expect(development == TLSSettings(developmentCA: true, names: ["idp.test"]))
        #expect(try TLSOptions.parse([]).settings == nil)
        for refused in [["--tls-cert", "a.pem"], ["--tls-key", "a.pem"], ["--tls-name", "x"], ["--tls", "--tls-cert", "a", "--tls-key", "b"]] {
            #expect(throws: (any Error).self, "\(refused)") { try TLSOptions.parse(refused) }
        }
        let bundles = try TLSOptions.parse(["--tls", "--ca-bundle", "partner.pem"]).caBundles
        #expect(bundles.first == FileManager.default.currentDirectoryPath + "/partner.pem")
        #expect(bundles.last?.hasSuffix("/ca.pem") == true)
    }

    @Test(arguments: [
        "certificate: tls/server.pem\n",
        "privateKey: tls/key.pem\n",
        "developmentCA: true\ncertificate: a.pem\nprivateKey: b.pem\n",
        "{}\n",
        "developmentCA: true\nname: x\n",
    ])
    func aTLSSectionThatDoesNotHoldTogetherIsRefused(_ yaml: String) {
        #expect(throws: (any Error).self) { try StrictYAML.decode(TLSSettings.self, from: yaml, file: "server.yaml") }
    }

    @Test func mockIdPTakesTLSFromItsEnvironmentWhenNoFlagSaysOtherwise() throws {
        func launch(_ environment: [String: String], tls: TLSSettings? = nil) throws(MockError) -> MockIdPLaunch {
            try MockIdPLaunch(config: nil, host: nil, port: 8080, server: nil, publicURL: nil, tls: tls, environment: environment)
        }
        #expect(try launch(["MOCK_IDP_TLS": "dev"]).tls == TLSSettings(developmentCA: true))
        #expect(try launch(["MOCK_IDP_TLS": "dev"]).ownURL == "https://127.0.0.1:8080")
        #expect(try launch([:]).ownURL == "http://127.0.0.1:8080")
        let here = FileManager.default.currentDirectoryPath
        #expect(
            try launch(["MOCK_IDP_TLS_CERT": "c.pem", "MOCK_IDP_TLS_KEY": "/k.pem"]).tls == TLSSettings(certificate: here + "/c.pem", privateKey: "/k.pem"))
        let flags = TLSSettings(certificate: "/f.pem", privateKey: "/k.pem")
        #expect(try launch(["MOCK_IDP_TLS": "dev"], tls: flags).tls == flags)
        #expect(throws: MockError(.mockBadOption, detail: "")) { try launch(["MOCK_IDP_TLS": "yes"]) }
        #expect(throws: MockError(.mockBadOption, detail: "")) { try launch(["MOCK_IDP_TLS_CERT": "c.pem"]) }
        #expect(throws: MockError(.mockBadOption, detail: "")) { try launch(["MOCK_IDP_TLS": "dev", "MOCK_IDP_TLS_CERT": "c.pem", "MOCK_IDP_TLS_KEY": "k.pem"]) }
    }

    @Test func theShippedServerServesHTTPSWithTheDevelopmentCA() async throws {
        let executable = Self.executables.appendingPathComponent("identity-server")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "swift build makes \(executable.path)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-dev-ca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // `dev-certs` makes the CA and says how to trust it; `--tls` then serves its certificate.
        let made = try await TestProcess.run(awaiting: executable, ["dev-certs", "--dir", directory.path, "--name", "id.example.test"])
        #expect(made.status == 0)
        #expect(made.stdout.contains("Made a new development CA."))
        #expect(made.stdout.contains("names: localhost, 127.0.0.1, ::1, id.example.test"))
        #expect(made.stdout.contains("SSL_CERT_FILE=\(directory.path)/ca.pem"))
        let path = try await TestProcess.run(awaiting: executable, ["dev-certs", "--dir", directory.path, "--ca-path"])
        #expect(path.stdout == directory.path + "/ca.pem\n")
        let client = try HTTPClient.harness(trusting: OutboundTrust(caBundles: [directory.path + "/ca.pem"]))
        let redirectPort = try LoopbackPort.free()
        let server = try await ServerProcess.start(
            executable: executable,
            arguments: [
                "--config", TLSListenerTests.root.appendingPathComponent("Mocks/server").path, "--in-memory", "--log-level", "error", "--tls",
                "--http-redirect-port", String(redirectPort),
            ],
            environment: ["IH_DEV_CA_DIR": directory.path], client: client)
        defer { server.stop() }
        #expect(server.baseURL.hasPrefix("https://127.0.0.1:"))
        let health = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(10))
        #expect(health.status == .ok)
        // The plain port only redirects, keeping the method (308), the path and the query.
        // It may bind a moment after the https one announced itself.
        var post = HTTPClientRequest(url: "http://127.0.0.1:\(redirectPort)/oauth2/token?x=1")
        post.method = .POST
        var answered: HTTPClientResponse?
        for _ in 0..<50 where answered == nil {
            answered = try? await client.execute(post, timeout: .seconds(10))
            if answered == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let redirect = try #require(answered)
        #expect(redirect.status == .permanentRedirect)
        #expect(redirect.headers.first(name: "Location") == server.baseURL + "/oauth2/token?x=1")
        #expect(redirect.headers.first(name: "Strict-Transport-Security") == nil)
        try await client.shutdown()
        // SIGTERM stops both listeners and the provisioning worker cleanly.
        #expect(server.stop() == 0)
    }

    @Test func aServerWhoseCertificateCannotBeReadExitsWithItsCode() async throws {
        let executable = Self.executables.appendingPathComponent("identity-server")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path))
        let result = try await TestProcess.run(
            awaiting: executable,
            ["--config", TLSListenerTests.root.appendingPathComponent("Mocks/server").path, "--in-memory", "--port", "0", "--tls-cert", "/nonexistent.pem",
             "--tls-key", "/nonexistent-key.pem"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[tls.certificate_unreadable] no readable file at /nonexistent.pem"))
        // A port that redirects to https, with nothing served on https.
        let redirectOnly = try await TestProcess.run(
            awaiting: executable,
            ["--config", TLSListenerTests.root.appendingPathComponent("Mocks/server").path, "--in-memory", "--port", "0", "--http-redirect-port", "0"])
        #expect(redirectOnly.status == 2)
        #expect(redirectOnly.stderr.contains("[tls.not_configured]"))
    }
}
