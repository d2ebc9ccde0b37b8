import Foundation
import IdentityCore
import IdentityServer
import IdentityStorage
import OIDC
import Testing

/// An OAuth/OIDC client we did not write (authlib) as a confidential relying party with
/// PKCE against a running identity-server: discovery, login, code exchange, ID token
/// validation with authlib's JWKS handling, userinfo, refresh.
///
/// Skipped with an install hint when Python's authlib is missing; under `CI=true` the
/// `authlibIsInstalledWhereCIRuns` test fails instead.
@Suite(.enabled(if: Authlib.isInstalled, "Python authlib is not installed: pip install authlib requests"))
struct AuthlibInteropTests {
    @Test func authlibCompletesTheCodeFlowWithPKCEAndRefreshes() async throws {
        var settings = TestServer.settings
        settings.baseURL = nil
        let credentials = try ServerCredentials(files: settings.keys, relativeTo: TestServer.keys)
        // Real time and randomness: authlib checks exp/iat against its own clock.
        let runtime = try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: Storage.inMemory(), clock: SystemWallClock(), random: SystemRandomSource())
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "authlib", oidc: OIDCSettings(clientID: "authlib-client", clientSecretHash: ClientSecret.hash(Authlib.secret),
                callbackURLs: ["https://rp.example/callback"]),
                claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress)])))
        try await runtime.storage.users.create(
            User(id: "u1", username: "alice", passwordHash: runtime.hasher.hash("alice-password"), claims: [LocalClaims.emailAddress: "alice@example.com"]))
        let server = try await IdentityServerApplication.startInProcess(runtime)
        let result = try await Authlib.run([
            server.baseURL, "authlib-client", Authlib.secret, "https://rp.example/callback", "alice", "alice-password",
        ])
        await server.stop()
        #expect(result.status == 0, "authlib RP failed:\n\(result.output)")
    }
}

@Test func authlibIsInstalledWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || Authlib.isInstalled, "CI=true but Python authlib is missing: .ci/run must pip install authlib requests")
}

enum Authlib {
    static let secret = "authlib-secret-0123456789"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/authlib_rp.py")

    static let isInstalled: Bool = {
        guard let process = try? python(["-c", "import authlib, requests"]) else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static func python(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read on another thread: the script talks to a server in this process.
        let data = await Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
