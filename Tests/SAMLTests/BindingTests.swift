import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

@Suite struct BindingTests {
    let request = AuthnRequest(id: "_r1", issueInstant: Fixtures.now, issuer: "sp.example", destination: Fixtures.ssoURL)

    @Test func deflateRoundTripsAndRefusesOversizedOutput() throws {
        let text = Array(String(repeating: "saml ", count: 10_000).utf8)
        let packed = Deflate.compress(text)
        #expect(packed.count < text.count / 10)
        #expect(try Deflate.decompress(packed, limit: text.count) == text)
        #expect(throws: SAMLError(.samlMessageTooLarge, detail: "")) { try Deflate.decompress(packed, limit: 1000) }
        #expect(throws: SAMLError(.samlBadDeflate, detail: "")) { try Deflate.decompress([0xFF, 0xFE, 0x00, 0x01], limit: 1000) }
        #expect(throws: SAMLError(.samlBadDeflate, detail: "")) { try Deflate.decompress(Array(packed.prefix(packed.count / 2)), limit: 100_000) }
    }

    @Test func aRedirectMessageRoundTripsWithRelayState() throws {
        let query = try RedirectBinding.encode(request.tree.serialized(), parameter: "SAMLRequest", relayState: "/a b&c")
        let message = try RedirectBinding.decode(rawQuery: query)
        #expect(message.parameter == "SAMLRequest")
        #expect(message.relayState == "/a b&c")
        #expect(message.signature == nil)
        #expect(try AuthnRequest(element: message.document.root) == request)
    }

    @Test func aQuerySignatureVerifiesWithTheSignersCertificateOnly() throws {
        let query = try RedirectBinding.encode(
            request.tree.serialized(), parameter: "SAMLRequest", relayState: "state",
            signer: (Fixtures.credential("sp-rsa").key, .rsaSHA256))
        let signature = try #require(try RedirectBinding.decode(rawQuery: query).signature)
        #expect(signature.verifies(with: [Fixtures.trusted("sp-rsa")]))
        #expect(!signature.verifies(with: [Fixtures.trusted("attacker-rsa")]))
    }

    @Test func changingTheRelayStateBreaksTheQuerySignature() throws {
        let query = try RedirectBinding.encode(
            request.tree.serialized(), parameter: "SAMLRequest", relayState: "state",
            signer: (Fixtures.credential("sp-rsa").key, .rsaSHA256))
        let tampered = query.replacingOccurrences(of: "RelayState=state", with: "RelayState=other")
        let signature = try #require(try RedirectBinding.decode(rawQuery: tampered).signature)
        #expect(!signature.verifies(with: [Fixtures.trusted("sp-rsa")]))
    }

    @Test func malformedRedirectMessagesHaveTheirOwnCodes() {
        #expect(throws: SAMLError(.samlMessageMissing, detail: "")) { try RedirectBinding.decode(rawQuery: "foo=bar") }
        #expect(throws: SAMLError(.samlBadBase64, detail: "")) { try RedirectBinding.decode(rawQuery: "SAMLRequest=%25%25%25") }
        #expect(throws: SAMLError(.samlBadDeflate, detail: "")) { try RedirectBinding.decode(rawQuery: "SAMLRequest=aGVsbG8%3D") }
        #expect(throws: SAMLError(.samlSignatureAlgorithmUnsupported, detail: "")) {
            let query = try RedirectBinding.encode(request.tree.serialized(), parameter: "SAMLRequest", relayState: nil)
            return try RedirectBinding.decode(rawQuery: query + "&SigAlg=urn%3Ax&Signature=AAAA")
        }
    }

    @Test func aPOSTFormEscapesWhatItEmbeds() {
        let html = POSTBinding.form(action: "https://sp.example/acs?a=1&b=\"2\"", parameter: "SAMLResponse", xml: "<x/>", relayState: "<script>")
        #expect(html.contains("action=\"https://sp.example/acs?a=1&amp;b=&quot;2&quot;\""))
        #expect(html.contains("value=\"&lt;script&gt;\""))
        #expect(!html.contains("<script>"))
    }
}
