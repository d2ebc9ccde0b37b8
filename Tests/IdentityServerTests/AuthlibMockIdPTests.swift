import Foundation
import IdentityCore
import MockSupport
import Testing

/// authlib, a client we did not write, against the generic mock OpenID Provider (issue 20):
/// client credentials, the code flow with PKCE and a nonce, refresh, password, the device
/// grant, token exchange, a JWT bearer assertion authlib signs itself, introspection and
/// revocation — every JWT checked by authlib.jose with the mock's JWKS alone.
@Suite(.enabled(if: Authlib.isInstalled, "Python authlib is not installed: pip install authlib requests"))
struct AuthlibMockIdPTests {
    @Test func authlibUsesEveryGrantOfTheDeveloperProvider() async throws {
        let file = TestServer.root.appendingPathComponent("Mocks/idps/developer.yaml")
        guard case .idp(let profile) = try PartyProfile.load(file) else { Issue.record("not an IdP profile"); return }
        // Real time: authlib checks exp and iat against its own clock.
        let idp = try await MockIdentityProvider(
            profile: profile, directory: file.deletingLastPathComponent(),
            placeholders: Placeholders(values: [:], baseDirectory: file.deletingLastPathComponent()), clock: SystemWallClock(),
            random: SystemRandomSource())
        let server = try await idp.start(host: "127.0.0.1")
        let result: (status: Int32, output: String)
        do {
            result = try await Python.run(
                Python.script("authlib_mock_idp.py"),
                [idp.issuer(named: "dev"), TestServer.root.appendingPathComponent("Mocks/keys/idp-rsa.key").path])
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
        #expect(result.status == 0, "authlib against mock-idp failed:\n\(result.output)")
        #expect(idp.observations.contains { $0.action == "token" && $0.grantType == "urn:ietf:params:oauth:grant-type:token-exchange" && $0.status == 200 })
    }
}
