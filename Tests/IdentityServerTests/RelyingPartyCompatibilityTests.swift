import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityServer
import OIDC
import Testing

/// What widely deployed relying parties need of the server beyond the scenarios: parallel
/// refreshes of one token, and metadata that names the algorithms the IdP accepts.
@Suite struct RelyingPartyCompatibilityTests {
    static let client = OIDCSettings(
        clientID: "app-client", clientSecretHash: ClientSecret.hash("app-secret"), callbackURLs: ["https://app.test/cb"],
        grantTypes: [.password, .refreshToken], refreshTokenReuseGraceSeconds: 5)

    func token(_ client: some TestClientProtocol, _ fields: [String: String]) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        var headers = formHeaders
        headers[.authorization] = "Basic " + Data("app-client:app-secret".utf8).base64EncodedString()
        let response = try await client.execute(uri: "/oauth2/token", method: .post, headers: headers, body: form(fields))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
    }

    @Test func parallelRefreshesOfOneTokenAllGetTheSameNewPairAndTheFamilyLives() async throws {
        let server = try await TestServer()
        try await server.runtime.storage.serviceProviders.create(ServiceProvider(name: "app", sections: [Self.client]))
        try await server.application.test(.router) { client in
            let first = try await token(client, ["grant_type": "password", "username": "alice", "password": "alice-password", "scope": "openid"])
            let refresh = try #require(first.body["refresh_token"] as? String)
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let answer = try await token(client, ["grant_type": "refresh_token", "refresh_token": refresh])
                        return (answer.status, answer.body["refresh_token"] as? String, answer.body["access_token"] as? String)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String?, String?)]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == .ok }, "\(answers.map(\.0))")
            #expect(Set(answers.compactMap(\.1)).count == 1, "one new refresh token for every presentation")
            #expect(Set(answers.compactMap(\.2)).count == 1, "one new access token for every presentation")
            let next = try #require(answers.first?.1)
            #expect(try await token(client, ["grant_type": "refresh_token", "refresh_token": next]).status == .ok)
            // After the window the old one is reuse: the family goes.
            server.clock.advance(by: 6)
            #expect(try await token(client, ["grant_type": "refresh_token", "refresh_token": refresh]).status == .badRequest)
            #expect(try await server.runtime.storage.tokens.countActive() == 0)
        }
    }

    @Test func theIdPMetadataNamesTheSigningAndDigestMethodsItAccepts() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let metadata = String(buffer: try await client.execute(uri: "/identity/metadata/saml2", method: .get).body)
            #expect(metadata.contains(#"<alg:SigningMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#))
            #expect(metadata.contains(#"<alg:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#))
            // The test server has no EC key: no ECDSA method is promised.
            #expect(!metadata.contains("ecdsa-sha256"))
        }
    }
}
