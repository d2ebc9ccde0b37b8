import AsyncHTTPClient
import Foundation
import IdentityCore
import IdentityMocks
import SAML
import Testing

/// The IdentityMocks library's SAML IdP, started in-process as an application's test
/// starts it: on a free port, answering a real HTTP client.
@Suite struct InProcessMocksTests {
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    static func authnRequest(issuer: String, acs: String) throws -> String {
        let xml = """
            <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
            ID="_app1" Version="2.0" IssueInstant="2026-01-01T09:00:00Z" AssertionConsumerServiceURL="\(acs)">\
            <saml:Issuer>\(issuer)</saml:Issuer></samlp:AuthnRequest>
            """
        return try RedirectBinding.encode(xml, parameter: "SAMLRequest", relayState: "back-to-cart")
    }

    /// The Response the auto-posting page carries, decoded.
    static func response(in page: String) throws -> String {
        let value = try #require(page.firstMatch(of: /name="SAMLResponse" value="([^"]+)"/)?.1)
        return String(decoding: try #require(Data(base64Encoded: String(value))), as: UTF8.self)
    }

    @Test func aSAMLIdPInTheTestProcessPublishesItsMetadataAndAnswersTheAppsAuthnRequestAtItsACS() async throws {
        let acs = "http://127.0.0.1:8080/saml/acs"
        try await MockSAMLIdentityProvider.withRunning(
            serviceProvider: IdPProfile.ServiceProvider(entityID: "https://shop.example/sp", acsURLs: [acs]), autoLogin: "alice"
        ) { idp in
        let metadata = try await Self.get(idp.metadataURL)
        #expect(metadata.status == 200 && metadata.body.contains("entityID=\"\(idp.entityID)\""))
        let certificate = idp.certificatePEM.split(separator: "\n").dropFirst().dropLast().joined()
        #expect(idp.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----") && metadata.body.contains(certificate))
        let query = try Self.authnRequest(issuer: "https://shop.example/sp", acs: acs)
        let page = try await Self.get(idp.ssoURL + "?" + query)
        #expect(page.body.contains("action=\"\(acs)\"") && page.body.contains("back-to-cart"))
        let response = try Self.response(in: page.body)
        #expect(response.contains("InResponseTo=\"_app1\"") && response.contains(">alice<") && response.contains("alice@example.com"))
        // A fault armed in code: the next Response is for someone else.
        idp.arm(faults: [.wrongAudience])
        let hostile = try Self.response(in: try await Self.get(idp.ssoURL + "?" + query).body)
        #expect(response.contains(">https://shop.example/sp<"))
        #expect(hostile.contains(">https://someone-else.example<") && !hostile.contains(">https://shop.example/sp<"))
        // An ACS the profile does not list is refused, never posted to.
        let stranger = try await Self.get(idp.ssoURL + "?" + (try Self.authnRequest(issuer: "https://shop.example/sp", acs: "https://evil.example/acs")))
        #expect(stranger.status == 400 && !stranger.body.contains("SAMLResponse"))
        #expect(idp.observations.contains { $0.action == "sso" })
        }
    }
}
