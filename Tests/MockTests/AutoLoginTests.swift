import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import SAML
import StrictYAML
import Testing

/// An application that starts its own login (a SAML SP, a third-party RP) cannot send our
/// `login_hint`: with `autoLogin` the mock IdP completes every login as one test user,
/// with no page, until it is turned off.
@Suite struct AutoLoginTests {
    func identityProvider(_ name: String, overrides: ConfigValue? = nil) async throws -> MockIdentityProvider {
        try await MockRefusalsTests().identityProvider(name, overrides: overrides)
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func authnRequestQuery(id: String = "_r1") throws -> String {
        let xml = """
            <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
            ID="\(id)" Version="2.0" IssueInstant="2026-01-01T09:00:00Z" AssertionConsumerServiceURL="http://127.0.0.1:1/commonauth">\
            <saml:Issuer>localhost</saml:Issuer></samlp:AuthnRequest>
            """
        return try RedirectBinding.encode(xml, parameter: "SAMLRequest", relayState: "r")
    }

    @Test func aSAMLLoginIsAnsweredAtOnceAsTheAutoLoginUserAndShowsThePageAgainWhenTurnedOff() async throws {
        let idp = try await identityProvider("partner-saml")
        try await Application(router: idp.router()).test(.router) { client in
            let query = try Self.authnRequestQuery()
            // Off (the profile sets none): the login page.
            let page = try await client.execute(uri: "/sso?" + query, method: .get)
            #expect(String(buffer: page.body).contains("idp-login"))
            #expect(try await client.execute(uri: "/_mock/auto-login", method: .post, headers: Self.form, body: ByteBuffer(string: "user=tess")).status == .ok)
            let answered = String(buffer: try await client.execute(uri: "/sso?" + query, method: .get).body)
            #expect(answered.contains("name=\"SAMLResponse\""))
            #expect(!answered.contains("idp-login"))
            #expect(idp.observations.last?.outcome == "user:tess")
            // An empty user turns it off again.
            #expect(try await client.execute(uri: "/_mock/auto-login", method: .post, headers: Self.form, body: ByteBuffer(string: "user=")).status == .ok)
            #expect(String(buffer: try await client.execute(uri: "/sso?" + query, method: .get).body).contains("idp-login"))
        }
    }

    @Test func anOAuthAuthorizationRedirectsWithACodeAtOnceAndAResetRestoresTheProfile() async throws {
        let idp = try await identityProvider("partner-oidc", overrides: .object([("autoLogin", .string("quinn"))]))
        try await Application(router: idp.router()).test(.router) { client in
            let authorize = "/partner/authorize?response_type=code&client_id=identity-server&scope=openid&state=s1"
                + "&redirect_uri=" + URLEncoding.encode("http://127.0.0.1:1/commonauth")
            let redirect = try await client.execute(uri: authorize, method: .get)
            #expect(redirect.status == .found)
            #expect(redirect.headers[.location]?.hasPrefix("http://127.0.0.1:1/commonauth?code=") == true)
            #expect(idp.observations.last?.outcome == "user:quinn")
            let json = try await client.execute(uri: "/_mock/auto-login", method: .get)
            #expect(MockRefusalsTests.json(json)["user"] == "quinn")
            // Turned off at run time, then back to the profile's by a reset.
            _ = try await client.execute(uri: "/_mock/auto-login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"user": ""}"#))
            #expect(String(buffer: try await client.execute(uri: authorize, method: .get).body).contains("idp-login"))
            #expect(try await client.execute(uri: "/_mock/reset", method: .post).status == .noContent)
            #expect(try await client.execute(uri: authorize, method: .get).status == .found)
        }
    }

    @Test func anAutoLoginUserThatDoesNotExistIsRefusedByName() async throws {
        let idp = try await identityProvider("partner-oidc")
        try await Application(router: idp.router()).test(.router) { client in
            let refused = try await client.execute(uri: "/_mock/auto-login", method: .post, headers: Self.form, body: ByteBuffer(string: "user=nobody"))
            #expect(refused.status == .badRequest)
            #expect(MockRefusalsTests.json(refused)["field"] == "user")
            #expect(MockRefusalsTests.json(refused)["value"] == "nobody")
            #expect(MockRefusalsTests.json(try await client.execute(uri: "/_mock/auto-login", method: .get))["user"] == "")
        }
        await #expect(throws: (any Error).self) {
            _ = try await identityProvider("partner-oidc", overrides: .object([("autoLogin", .string("nobody"))]))
        }
    }
}
