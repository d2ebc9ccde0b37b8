import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import SAML
import StrictYAML
import Testing
import XMLSecurity

/// The mock IdP as a hostile identity provider for an application under test: catalogue
/// attacks served live in a real flow, and the faults only a relying party's own checks
/// stop (another state, codes redeemed twice, an earlier ID token).
@Suite struct HostileIdPTests {
    func identityProvider(_ name: String, overrides: ConfigValue? = nil) async throws -> MockIdentityProvider {
        try await MockRefusalsTests().identityProvider(name, overrides: overrides)
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func samlResponse(_ page: String) throws -> String {
        let value = try #require(page.range(of: "name=\"SAMLResponse\" value=\"").map { page[$0.upperBound...].prefix { $0 != "\"" } })
        return String(decoding: try #require(Data(base64Encoded: String(value))), as: UTF8.self)
    }

    @Test func aCatalogueAttackIsBuiltForTheLiveRequestWithFreshIDsEachTime() async throws {
        let idp = try await identityProvider("partner-saml", overrides: .object([("autoLogin", .string("sam"))]))
        try await Application(router: idp.router()).test(.router) { client in
            let set = try await client.execute(uri: "/_mock/attack", method: .post, headers: Self.form, body: ByteBuffer(string: "attack=xsw3-unsigned-assertion-before-signed"))
            #expect(set.status == .ok)
            let query = try AutoLoginTests.authnRequestQuery()
            let first = try Self.samlResponse(String(buffer: try await client.execute(uri: "/sso?" + query, method: .get).body))
            let second = try Self.samlResponse(String(buffer: try await client.execute(uri: "/sso?" + AutoLoginTests.authnRequestQuery(id: "_r2"), method: .get).body))
            // The request's ID, the SP's ACS and the person logging in, not the file's fixed ones.
            #expect(first.contains("InResponseTo=\"_r1\""))
            #expect(first.contains("http://127.0.0.1:1/commonauth"))
            #expect(first.contains(">sam@partner.example<"))
            #expect(first.contains(SAMLWrapping.evilNameID))
            // Two assertions: the attacker's, then the signed one.
            #expect(first.components(separatedBy: "<saml:Assertion ").count == 3)
            // Salted by the request ID: another login never repeats an Assertion ID, which a
            // real SP's replay cache would refuse across runs.
            let ids = { (xml: String) in Set(xml.components(separatedBy: " ID=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }) }
            // The attacker's own assertion too.
            #expect(ids(first).count == 3)
            #expect(ids(first).isDisjoint(with: ids(second)))
            #expect(!first.contains("\"\(SAMLWrapping.evilAssertionID)\""))
            #expect(second.contains("InResponseTo=\"_r2\""))
            // Off again: a genuine Response, one assertion.
            _ = try await client.execute(uri: "/_mock/attack", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"attack": ""}"#))
            let genuine = try Self.samlResponse(String(buffer: try await client.execute(uri: "/sso?" + query, method: .get).body))
            #expect(genuine.components(separatedBy: "<saml:Assertion ").count == 2)
        }
    }

    @Test func anAttackOutsideTheCatalogueIsRefusedByName() async throws {
        let idp = try await identityProvider("partner-oidc")
        try await Application(router: idp.router()).test(.router) { client in
            let refused = try await client.execute(uri: "/_mock/attack", method: .post, headers: Self.form, body: ByteBuffer(string: "attack=xsw3-unsigned-assertion-before-signed"))
            #expect(refused.status == .badRequest)
            #expect(MockRefusalsTests.json(refused)["field"] == "attack")
            #expect(MockRefusalsTests.json(try await client.execute(uri: "/_mock/attack", method: .get))["attack"] == "")
        }
        await #expect(throws: (any Error).self) {
            _ = try await identityProvider("partner-saml", overrides: .object([("attack", .string("alg-none"))]))
        }
    }

    /// Runs one authorization-code login for paula and returns the redirect's query and
    /// the token response.
    static func login(_ client: some TestClientProtocol, state: String = "s1") async throws -> (redirect: [String: String], token: [String: String]) {
        let authorize = "/partner/authorize?response_type=code&client_id=identity-server&scope=openid&nonce=n-\(state)&state=\(state)"
            + "&redirect_uri=" + URLEncoding.encode("http://127.0.0.1:1/commonauth") + "&login_hint=paula"
        let location = try #require(try await client.execute(uri: authorize, method: .get).headers[.location])
        let redirect = Dictionary(URLEncoding.pairs(String(location.split(separator: "?", maxSplits: 1)[1])).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let body = "grant_type=authorization_code&client_id=identity-server&client_secret=partner-client-secret&code=\(redirect["code"] ?? "")"
            + "&redirect_uri=" + URLEncoding.encode("http://127.0.0.1:1/commonauth")
        let token = try await client.execute(uri: "/partner/token", method: .post, headers: Self.form, body: ByteBuffer(string: body))
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: token.body))) as? [String: Any] ?? [:]
        return (redirect, json.compactMapValues { $0 as? String })
    }

    static func claims(_ jwt: String?) throws -> [String: Any] {
        let part = try #require(jwt?.split(separator: ".").dropFirst().first)
        return try #require(try JSONSerialization.jsonObject(with: Base64URL.decode(String(part)) ?? Data()) as? [String: Any])
    }

    @Test func anOAuthAttackReplacesTheIDTokenAndTheStateAndReplayFaultsMisleadTheRelyingParty() async throws {
        let idp = try await identityProvider("partner-oidc")
        try await Application(router: idp.router()).test(.router) { client in
            let genuine = try await Self.login(client, state: "s1")
            #expect(genuine.redirect["state"] == "s1")
            let genuineToken = try #require(genuine.token["id_token"])
            #expect(try Self.claims(genuineToken)["nonce"] as? String == "n-s1")

            try idp.arm(attack: "wrong-azp")
            let attacked = try await Self.login(client, state: "s2")
            let claims = try Self.claims(attacked.token["id_token"])
            #expect(claims["azp"] as? String == "someone-else")
            #expect(claims["sub"] as? String == "7f1c9e0a-paula")
            #expect(claims["nonce"] as? String == "n-s2")

            try idp.arm(attack: nil)
            idp.arm(faults: [.wrongState, .replay])
            let misled = try await Self.login(client, state: "s3")
            #expect(misled.redirect["state"] == "not-s3")
            // The previous login's ID token, nonce and all.
            #expect(try Self.claims(misled.token["id_token"])["nonce"] as? String == "n-s2")
        }
    }

    @Test func withReusableCodesACodeIsRedeemedTwiceAndOtherwiseOnlyOnce() async throws {
        let idp = try await identityProvider("partner-oidc", overrides: .object([("autoLogin", .string("paula"))]))
        try await Application(router: idp.router()).test(.router) { client in
            func redeemTwice() async throws -> [HTTPResponse.Status] {
                let authorize = "/partner/authorize?response_type=code&client_id=identity-server&scope=openid&state=s"
                    + "&redirect_uri=" + URLEncoding.encode("http://127.0.0.1:1/commonauth")
                let location = try #require(try await client.execute(uri: authorize, method: .get).headers[.location])
                let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
                let body = "grant_type=authorization_code&client_id=identity-server&client_secret=partner-client-secret&code=\(code)"
                    + "&redirect_uri=" + URLEncoding.encode("http://127.0.0.1:1/commonauth")
                var statuses = [HTTPResponse.Status]()
                for _ in 0..<2 {
                    statuses.append(try await client.execute(uri: "/partner/token", method: .post, headers: Self.form, body: ByteBuffer(string: body)).status)
                }
                return statuses
            }
            let singleUse = try await redeemTwice()
            #expect(singleUse == [.ok, .badRequest])
            idp.arm(faults: [.reusableCodes])
            let reusable = try await redeemTwice()
            #expect(reusable == [.ok, .ok])
        }
    }
}
