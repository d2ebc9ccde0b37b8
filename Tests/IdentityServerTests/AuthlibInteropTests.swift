import Connectors
import Foundation
import IdentityCore
import MockSupport
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
    /// Plain, and over https with the server's certificate from a private CA that
    /// authlib's `requests` is told to trust.
    @Test(arguments: [false, true]) func authlibCompletesTheCodeFlowWithPKCEAndRefreshes(overTLS: Bool) async throws {
        let interop = overTLS ? try InteropTLS.make() : nil
        defer { interop?.cleanUp() }
        var settings = TestServer.settings
        settings.baseURL = nil
        let credentials = try ServerCredentials(files: settings.keys, relativeTo: TestServer.keys)
        // Real time and randomness: authlib checks exp/iat against its own clock.
        let runtime = try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: Storage.inMemory(), clock: SystemWallClock(), random: SystemRandomSource())
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "authlib", sections: [OIDCSettings(clientID: "authlib-client", clientSecretHash: ClientSecret.hash(Authlib.secret),
                callbackURLs: ["https://rp.example/callback"])],
                claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress)])))
        try await runtime.storage.users.create(
            User(id: "u1", username: "alice", passwordHash: runtime.hasher.hash("alice-password"), claims: [LocalClaims.emailAddress: "alice@example.com"]))
        let server = try await IdentityServerApplication.startInProcess(runtime, tls: interop?.tls.server)
        #expect(server.baseURL.hasPrefix(overTLS ? "https://" : "http://"))
        let result = try await Authlib.run(
            [server.baseURL, "authlib-client", Authlib.secret, "https://rp.example/callback", "alice", "alice-password"],
            environment: interop?.environment ?? [:])
        await server.stop()
        #expect(result.status == 0, "authlib RP failed:\n\(result.output)")
    }
}

/// authlib's AssertionSession as an independent client of the JWT bearer grant (RFC 7523,
/// OA-2): it signs the assertion with the partner IdP's key, the server verifies it with
/// that IdP's JWKS (served by the mock IdP in this process), and a replay is refused.
@Suite(.enabled(if: Authlib.isInstalled, "Python authlib is not installed: pip install authlib requests"))
struct AuthlibJWTBearerTests {
    @Test func authlibTradesAnIdPsSignedAssertionForTokensOnce() async throws {
        let profileFile = TestServer.root.appendingPathComponent("Mocks/idps/partner-oidc.yaml")
        guard case .idp(let profile) = try PartyProfile.load(profileFile) else { Issue.record("not an IdP profile"); return }
        let idp = try await MockIdentityProvider(
            profile: profile, directory: profileFile.deletingLastPathComponent(),
            placeholders: Placeholders(values: [:], baseDirectory: profileFile.deletingLastPathComponent()), clock: SystemWallClock(),
            random: SystemRandomSource())
        let idpServer = try await idp.start(host: "127.0.0.1")
        defer { Task { await idpServer.stop() } }

        var settings = TestServer.settings
        settings.baseURL = nil
        let runtime = try await ServerRuntime.create(
            settings: settings, credentials: try ServerCredentials(files: settings.keys, relativeTo: TestServer.keys), storage: Storage.inMemory(),
            clock: SystemWallClock(), random: SystemRandomSource())
        let issuer = idpServer.baseURL + "/partner"
        try await runtime.storage.identityProviders.create(
            IdentityProvider(
                name: "partner-oidc", kind: .oidc,
                sections: [
                    OAuthConnectorSettings(
                        issuer: issuer, authorizationEndpoint: issuer + "/authorize", tokenEndpoint: issuer + "/token", jwksURI: issuer + "/jwks",
                        clientID: "identity-server")
                ],
                claims: IdPClaimConfiguration(userIDClaim: "sub", mappings: [IdPClaimMapping(idp: "email", local: "emailaddress")])))
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "authlib",
                sections: [
                    OIDCSettings(
                        clientID: "authlib-client", clientSecretHash: ClientSecret.hash(Authlib.secret), callbackURLs: ["https://rp.example/callback"],
                        grantTypes: [.jwtBearer])
                ],
                claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress)]),
                sequence: AuthenticationSequence(steps: [.init(options: ["partner-oidc"])])))
        let server = try await IdentityServerApplication.startInProcess(runtime)
        let result = try await Python.run(Python.script("authlib_jwt_bearer.py"), [
            server.baseURL, "authlib-client", Authlib.secret, issuer, issuer + "/jwks", TestServer.keys.appendingPathComponent("idp-rsa.key").path,
            "7f1c9e0a-paula",
        ])
        await server.stop()
        #expect(result.status == 0, "authlib JWT bearer client failed:\n\(result.output)")
    }
}

@Test func authlibIsInstalledWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || Authlib.isInstalled, "CI=true but Python authlib is missing: .ci/run must pip install authlib requests")
}

enum Authlib {
    static let secret = "authlib-secret-0123456789"
    static let isInstalled = Python.canImport("authlib, requests")

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await Python.run(Python.script("authlib_rp.py"), arguments, environment: environment)
    }
}
