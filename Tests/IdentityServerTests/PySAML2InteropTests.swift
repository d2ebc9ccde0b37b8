import AsyncHTTPClient
import Foundation
import HTTPServing
import IdentityCore
import IdentityServer
import IdentityStorage
import MockSupport
import Connectors
import OIDC
import SAML
import ScenarioKit
import Testing
import XMLSecurity

/// SAML against an implementation we did not write (pysaml2, with xmlsec1 for its
/// signatures): our mock IdP and mock SP share our SAML code and could share its bugs.
///
/// Skipped with an install hint when pysaml2 is missing; under `CI=true` the
/// `pysaml2IsInstalledWhereCIRuns` test fails instead.
@Suite(.enabled(if: PySAML2.isInstalled, "Python pysaml2 is not installed: pip install pysaml2==7.5.5 requests (and apt-get install xmlsec1)"))
struct PySAML2InteropTests {
    /// A server on the real clock and randomness: pysaml2 checks times against its own clock.
    static func liveServer(tls: InteropTLS? = nil) async throws -> (runtime: ServerRuntime, server: InProcessServerHandle) {
        var settings = TestServer.settings
        settings.baseURL = nil
        let credentials = try ServerCredentials(files: settings.keys, relativeTo: TestServer.keys)
        let runtime = try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: Storage.inMemory(), clock: SystemWallClock(), random: SystemRandomSource())
        try await runtime.storage.users.create(
            User(id: "u-alice", username: "alice", passwordHash: runtime.hasher.hash("alice-password"), claims: [LocalClaims.emailAddress: "alice@example.com"]))
        return (runtime, InProcessServerHandle(try await IdentityServerApplication.startInProcess(runtime, tls: tls?.tls.server)))
    }

    @Test func aPySAML2IdentityProviderSignsAPersonInThroughTheServerWhichProvisionsThem() async throws {
        let (runtime, server) = try await Self.liveServer()
        defer { Task { await server.stop() } }
        let base = server.baseURL
        // The server as a SAML SP, in metadata pysaml2 reads: its entity ID and callback.
        let metadata = FileManager.default.temporaryDirectory.appendingPathComponent("ih-sp-\(UUID().uuidString).xml")
        try SAMLMetadata.serviceProvider(entityID: runtime.settings.entityID, acsURLs: [base + "/commonauth"], certificate: nil, signsRequests: false)
            .write(to: metadata, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: metadata) }
        let key = TestServer.keys.appendingPathComponent("idp-rsa.key").path
        let certificate = TestServer.keys.appendingPathComponent("idp-rsa.crt")
        let (process, idpBase) = try await Python.start(Python.script("pysaml2_idp.py"), [metadata.path, key, certificate.path])
        defer { Python.stop(process) }

        try await runtime.storage.identityProviders.create(
            IdentityProvider(
                name: "pysaml2", kind: .saml,
                sections: [SAMLConnectorSettings(
                    idpEntityID: idpBase + "/idp", ssoURL: idpBase + "/sso", certificates: [try String(contentsOf: certificate, encoding: .utf8)])],
                // pysaml2 names attributes by their OIDs (the URI name format).
                claims: IdPClaimConfiguration(mappings: [
                    IdPClaimMapping(idp: "urn:oid:0.9.2342.19200300.100.1.3", local: LocalClaims.emailAddress),
                    IdPClaimMapping(idp: "urn:oid:2.5.4.42", local: LocalClaims.givenName), IdPClaimMapping(idp: "urn:oid:2.5.4.4", local: LocalClaims.lastName),
                ]),
                jit: JITSettings(mode: .silent)))
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "app", sections: [OIDCSettings(clientID: "app", clientSecretHash: "sha256:unused", callbackURLs: [base + "/app-callback"])],
                sequence: AuthenticationSequence(steps: [.init(options: ["pysaml2"], subject: true, attributes: true)])))

        // A browser follows redirects itself (with its cookies): the client must not.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        let browser = UserAgent(client: client, clock: SystemWallClock())
        let landed = try await browser.navigate(
            "GET", base + "/oauth2/authorize?response_type=code&client_id=app&scope=openid&redirect_uri=" + URLEncoding.encode(base + "/app-callback"))
        #expect(landed.url.hasPrefix(base + "/app-callback?code="), "the login did not come back with a code: \(landed.hops.map(\.line))")
        let account = try await runtime.storage.users.find(federation: FederatedAccount(identityProvider: "pysaml2", subject: "ines-7781"))
        #expect(account?.claims == [LocalClaims.emailAddress: "ines@pysaml2.example", LocalClaims.givenName: "Ines", LocalClaims.lastName: "Ibarra"])
    }

    /// Plain, and over https (its metadata, SSO and ACS-bound Response), the server's
    /// certificate from a private CA pysaml2's `requests` is told to trust.
    @Test(arguments: [false, true]) func aPySAML2ServiceProviderAcceptsTheServersSignedResponse(overTLS: Bool) async throws {
        let interop = overTLS ? try InteropTLS.make() : nil
        defer { interop?.cleanUp() }
        let (runtime, server) = try await Self.liveServer(tls: interop)
        defer { Task { await server.stop() } }
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "pysaml2-sp",
                sections: [SAMLSettings(
                    issuer: "https://pysaml2-sp.example/sp", acsURLs: ["https://pysaml2-sp.example/acs"],
                    nameIDFormat: .unspecified, attributeProfile: true, includeAttributesAlways: true)],
                claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress)], skipConsent: true)))
        #expect(server.baseURL.hasPrefix(overTLS ? "https://" : "http://"))
        let result = try await Python.run(Python.script("pysaml2_sp.py"), [server.baseURL, "alice", "alice-password"], environment: interop?.environment ?? [:])
        #expect(result.status == 0, "pysaml2 SP failed:\n\(result.output)")
        #expect(result.output.contains("NameID=alice"))
        #expect(result.output.contains("alice@example.com"))
    }

    /// SA-10 against an SP we did not write: pysaml2 signs its LogoutRequest (HTTP-Redirect,
    /// query signature), the server verifies it with the SP's certificate, ends the session
    /// and posts back a signed LogoutResponse pysaml2 accepts.
    @Test func aPySAML2ServiceProviderLogsOutAndTheServersSessionEnds() async throws {
        let (runtime, server) = try await Self.liveServer()
        defer { Task { await server.stop() } }
        let certificate = TestServer.keys.appendingPathComponent("sp-rsa.crt")
        try await runtime.storage.serviceProviders.create(
            ServiceProvider(
                name: "pysaml2-sp", certificate: try String(contentsOf: certificate, encoding: .utf8),
                sections: [SAMLSettings(
                    issuer: "https://pysaml2-sp.example/sp", acsURLs: ["https://pysaml2-sp.example/acs"],
                    nameIDFormat: .unspecified, validateRequestSignatures: true, singleLogout: true,
                    sloRequestURL: "https://pysaml2-sp.example/slo")],
                claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress)], skipConsent: true)))
        let result = try await Python.run(
            Python.script("pysaml2_sp.py"),
            [server.baseURL, "alice", "alice-password", "--logout", TestServer.keys.appendingPathComponent("sp-rsa.key").path, certificate.path])
        #expect(result.status == 0, "pysaml2 SP failed:\n\(result.output)")
        #expect(result.output.contains("LogoutResponse status=Success"))
        #expect(result.output.contains("logged out"))
        #expect(try await runtime.storage.sessions.count() == 0)
    }

    /// Our mock SP's single logout against an IdP we did not write: it signs in at pysaml2,
    /// logs out with a signed LogoutRequest pysaml2 verifies, and accepts pysaml2's signed
    /// LogoutResponse — so the mock SP's logout is not only right about our own server.
    @Test func theMockServiceProviderLogsOutAtAPySAML2IdentityProvider() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-pysaml2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = TestServer.keys
        let metadata = directory.appendingPathComponent("sp-metadata.xml")
        let (process, idpBase) = try await Python.start(
            Python.script("pysaml2_idp.py"), [metadata.path, keys.appendingPathComponent("idp-rsa.key").path, keys.appendingPathComponent("idp-rsa.crt").path])
        defer { Python.stop(process) }
        let profileFile = directory.appendingPathComponent("sp.yaml")
        try """
            kind: saml
            entityID: https://mock-sp.example/sp
            signing: { privateKey: \(keys.appendingPathComponent("sp-rsa.key").path), certificate: \(keys.appendingPathComponent("sp-rsa.crt").path) }
            forgery: { privateKey: \(keys.appendingPathComponent("attacker-rsa.key").path), certificate: \(keys.appendingPathComponent("attacker-rsa.crt").path) }
            idp:
              entityID: "\(idpBase)/idp"
              ssoURL: "{idp}/sso"
              sloURL: "{idp}/slo"
              certificates: [\(keys.appendingPathComponent("idp-rsa.crt").path)]
            """.write(to: profileFile, atomically: true, encoding: .utf8)
        let profile = try ResolvedSPProfile(
            SPProfile.load(profileFile), directory: directory, placeholders: Placeholders(values: ["idp": idpBase], baseDirectory: directory))
        let sp = MockServiceProvider(profile: profile, clock: SystemWallClock(), random: SystemRandomSource())
        let server = try await InProcessServer.start { onListening in sp.application(onListening: onListening) }
        defer { Task { await server.stop() } }

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        let browser = UserAgent(client: client, clock: SystemWallClock())
        // pysaml2 reads the SP's metadata at its first request.
        let published = try await browser.navigate("GET", server.baseURL + "/metadata")
        try published.body.write(to: metadata, atomically: true, encoding: .utf8)
        _ = try await browser.navigate("GET", server.baseURL + "/login")
        let login = try #require(sp.observations.last)
        #expect(login.accepted, "the mock SP refused pysaml2's Response: \(login)")
        _ = try await browser.navigate("GET", server.baseURL + "/logout")
        let logout = try #require(sp.observations.last)
        #expect(logout.message == "LogoutResponse")
        #expect(logout.accepted, "the mock SP refused pysaml2's LogoutResponse: \(logout)")
        #expect(logout.status == "Success")
        #expect(logout.messageSignature == "valid")
    }
}

@Test func pysaml2IsInstalledWhereCIRuns() {
    let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    #expect(!inCI || PySAML2.isInstalled, "CI=true but pysaml2 is missing: .ci/run must pip install pysaml2")
}

enum PySAML2 {
    static let isInstalled = Python.canImport("saml2, requests") && FileManager.default.fileExists(atPath: "/usr/bin/xmlsec1")
}

/// A started in-process server, stopped at the end of a test.
struct InProcessServerHandle: Sendable {
    let server: InProcessServer
    init(_ server: InProcessServer) { self.server = server }
    var baseURL: String { server.baseURL }
    func stop() async { await server.stop() }
}
