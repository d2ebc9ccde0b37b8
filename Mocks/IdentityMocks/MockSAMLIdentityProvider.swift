import Foundation
import HTTPServing
public import IdentityCore
public import MockSupport

/// A mock SAML 2.0 identity provider running inside the test process, for an application
/// that is a SAML service provider:
///
/// ```swift
/// let idp = try await MockSAMLIdentityProvider.start(
///     serviceProvider: .init(entityID: "https://app.example/sp", acsURLs: ["http://127.0.0.1:8080/saml/acs"]),
///     autoLogin: "alice")
/// // configure the app with idp.metadataURL (or idp.ssoURL and idp.certificatePEM);
/// // its AuthnRequest to idp.ssoURL is answered with a signed Response posted to the ACS.
/// ```
///
/// Responses and assertions are signed with a fresh key per start; faults
/// (``IdPFault/xsw1``…, ``IdPFault/expired``, ``IdPFault/wrongAudience``…) and the attack
/// catalogue are armed in code.
public final class MockSAMLIdentityProvider: InProcessMock {
    public let provider: MockIdentityProvider
    private let server: InProcessServer

    private init(provider: MockIdentityProvider, server: InProcessServer) {
        self.provider = provider
        self.server = server
    }

    /// `users`: each SAML attribute a list of strings (`["mail": ["alice@example.com"]]`).
    public static func start(
        serviceProvider: IdPProfile.ServiceProvider, users: [IdPProfile.TestUser]? = nil, autoLogin: String? = nil, faults: [IdPFault] = [],
        signResponses: Bool = true, clock: any WallClock = SystemWallClock()
    ) async throws -> MockSAMLIdentityProvider {
        var profile = try IdPProfile.developerDefault
        profile.kind = .saml
        profile.entityID = "{idp}/metadata"
        profile.clients = []
        profile.serviceProviders = [serviceProvider]
        profile.users = users ?? [IdPProfile.TestUser(username: "alice", id: "alice", claims: ["mail": ["alice@example.com"], "displayName": ["Alice Example"]])]
        profile.autoLogin = autoLogin
        profile.faults = faults
        profile.signResponses = signResponses
        profile.accessTokens = .opaque
        let (provider, server) = try await startInProcess(profile, clock: clock)
        return MockSAMLIdentityProvider(provider: provider, server: server)
    }

    /// Runs `body` with an IdP started for it (``start(serviceProvider:users:autoLogin:faults:signResponses:clock:)``),
    /// and stops the IdP however `body` ends.
    public static func withRunning<Result>(
        serviceProvider: IdPProfile.ServiceProvider, users: [IdPProfile.TestUser]? = nil, autoLogin: String? = nil, faults: [IdPFault] = [],
        _ body: (MockSAMLIdentityProvider) async throws -> Result
    ) async throws -> Result {
        try await stopping(try await start(serviceProvider: serviceProvider, users: users, autoLogin: autoLogin, faults: faults), body)
    }

    public var baseURL: String { server.baseURL }
    /// The IdP's entity ID (its metadata URL).
    public var entityID: String { provider.issuer(named: nil) }
    public var metadataURL: String { baseURL + "/metadata" }
    /// Single sign-on, HTTP-Redirect (GET) and HTTP-POST.
    public var ssoURL: String { baseURL + "/sso" }
    /// The signing certificate, PEM, as an SP pins it.
    public var certificatePEM: String { provider.signingCertificatePEM }

    public func arm(faults: [IdPFault]) { provider.arm(faults: faults) }
    public func arm(autoLogin user: String?) throws { try provider.arm(autoLogin: user) }
    /// Serves one entry of the SAML attack catalogue (`mock-idp attacks` lists them) in
    /// place of every genuine Response; nil turns it off.
    public func arm(attack: String?) throws { try provider.arm(attack: attack) }
    public func add(user: IdPProfile.TestUser) { provider.add(user: user) }
    public var observations: [IdPObservation] { provider.observations }
    public func stop() async { await server.stop() }
}
