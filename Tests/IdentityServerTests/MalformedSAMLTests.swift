import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import Testing

/// Malformed SAML gets an error page with a stable code, nothing is stored, and the
/// server keeps serving.
@Suite struct MalformedSAMLTests {
    @Test(arguments: [
        ("SAMLRequest=%25%25%25", "saml.bad_base64"),
        ("SAMLRequest=aGVsbG8%3D", "saml.bad_deflate"),
        ("SAMLRequest=K8nILFYAorz8EoUIXx8A", "xml.malformed"),
        ("RelayState=x", "saml.message_missing"),
        ("SAMLRequest=" + String(repeating: "A", count: 70_000), "saml.message_too_large"),
    ])
    func aMalformedRedirectRequestGetsAnErrorPageAndStoresNothing(query: String, code: String) async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/samlsso?" + query, method: .get)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == code)
            #expect(response.headers[.location] == nil)
            #expect(try await server.flowCount() == 0)
            // Still serving.
            let next = try await client.execute(uri: try server.redirectRequestURI(), method: .get)
            #expect(next.status == .found)
        }
    }

    @Test(arguments: [
        ("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", "xml.dtd_forbidden"),
        ("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"/>", "saml.issuer_missing"),
        ("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_1\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>nobody</saml:Issuer></samlp:AuthnRequest>", "saml.issuer_unknown"),
        ("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\" Version=\"1.1\" IssueInstant=\"2026-01-01T00:00:00Z\"/>", "saml.version_unsupported"),
        ("<not-closed>", "xml.malformed"),
    ])
    func aMalformedPOSTRequestGetsAnErrorPageAndStoresNothing(xml: String, code: String) async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/samlsso", method: .post, headers: formHeaders, body: form(["SAMLRequest": Data(xml.utf8).base64EncodedString()]))
            #expect(response.status == .badRequest)
            #expect(response.errorCode == code)
            #expect(try await server.flowCount() == 0)
        }
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/samlsso", method: .post, headers: formHeaders, body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024))
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "request.too_large")
        }
    }

    /// A small body of thousands of empty fields is work for the server, not a form.
    @Test func aFormOrQueryWithTooManyFieldsIsRefusedBeforeDecodingAndStoresNothing() async throws {
        let server = try await TestServer()
        let many = Array(repeating: "a=1", count: 257).joined(separator: "&")
        try await server.application.test(.router) { client in
            let form = try await client.execute(uri: "/samlsso", method: .post, headers: formHeaders, body: ByteBuffer(string: many))
            #expect(form.status == .badRequest)
            #expect(form.errorCode == "request.too_many_fields")
            let query = try await client.execute(uri: "/samlsso?" + many, method: .get)
            #expect(query.errorCode == "request.too_many_fields")
            let login = try await client.execute(uri: "/commonauth", method: .post, headers: formHeaders, body: ByteBuffer(string: many))
            #expect(login.errorCode == "request.too_many_fields")
            let authorize = try await client.execute(uri: "/oauth2/authorize?" + many, method: .get)
            #expect(authorize.errorCode == "request.too_many_fields")
            #expect(try await server.flowCount() == 0)
            // At the limit, the same shape is an ordinary (here: meaningless) request.
            let few = try await client.execute(uri: "/samlsso?" + Array(repeating: "a=1", count: 256).joined(separator: "&"), method: .get)
            #expect(few.errorCode == "saml.message_missing")
        }
    }

    @Test func anUnregisteredACSNeverSendsTheBrowserAnywhere() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: try server.redirectRequestURI(acs: "https://attacker.test/acs"), method: .get)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "saml.acs_not_registered")
            #expect(response.headers[.location] == nil)
            #expect(!response.text.contains("<form method=\"post\" action=\"https://attacker.test"))
            #expect(try await server.flowCount() == 0)
        }
    }
}
