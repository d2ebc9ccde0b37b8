import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityServer
import StrictYAML
import Testing

@Suite struct AdminAndConfigurationTests {
    static let yaml = """
        name: expenses
        description: Expenses
        certificate: |
        \(try! String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.crt"), encoding: .utf8).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        saml:
          issuer: expenses.example
          acsURLs: [https://expenses.example/acs, https://expenses.example/acs2]
          defaultACSURL: https://expenses.example/acs2
          signatureAlgorithm: rsa-sha512
          idpInitiatedSSO: true
        claims:
          dialect: custom
          mappings:
            - { local: http://wso2.org/claims/emailaddress, sp: email, mandatory: true }
        """

    let admin: HTTPFields = [.authorization: "Basic " + Data("admin:s3cret".utf8).base64EncodedString()]
    var adminJSON: HTTPFields { admin.merging([.contentType: "application/json"]) }
    var adminYAML: HTTPFields { admin.merging([.contentType: "application/yaml"]) }

    @Test func aServiceProviderFromYAMLAndFromTheAPIIsTheSameRecord() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.yaml.write(to: directory.appendingPathComponent("service-providers/expenses.yaml"), atomically: true, encoding: .utf8)
        let server = try await TestServer()
        let fromFile = try ConfigurationLoader.load(directory: directory) { _ in server.runtime.validator }.serviceProviders[0]

        try await server.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminYAML, body: ByteBuffer(string: Self.yaml))
            #expect(created.status == .created)
        }
        #expect(try await server.runtime.storage.serviceProviders.get(name: "expenses") == fromFile)
    }

    @Test func aBadServiceProviderFileNamesTheFileAndLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = "name: x\nsaml:\n  issuer: x\n  acsURLs: [https://x.example/acs]\n  defaultACSURL: https://elsewhere.example/acs\n"
        let file = directory.appendingPathComponent("service-providers/x.yaml")
        try bad.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigurationLoader.load(directory: directory) { _ in ServiceProviderValidator(signingFamilies: ["rsa"]) }
            Issue.record("a default ACS outside acsURLs was accepted")
        } catch let error as ConfigurationError {
            #expect(error.code == .spInvalidSettings)
            #expect(error.file == file.path)
            #expect(error.line == 5)
        }
    }

    @Test func aMalformedCertificateIsRefusedAtRegistration() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"name": "x", "certificate": "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----"}"#))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("\"sp.invalid_settings\""))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
        }
    }

    @Test func anOversizedAdminBodyIsRefusedWith413AndNothingStored() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let padding = String(repeating: "x", count: 2 * 1024 * 1024)
            let response = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"name": "big", "description": "\#(padding)"}"#))
            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("\"request.too_large\""))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
        }
    }

    /// RFC 9700 §2.6: a code must not travel in clear to a network host; plain http is only
    /// for loopback redirect URIs (native apps).
    @Test func aPlainHTTPRedirectURIToANetworkHostIsRefusedAtRegistration() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"name": "x", "oidc": {"clientID": "x", "callbackURLs": ["http://app.example/cb"]}}"#))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("\"sp.invalid_settings\""))
            #expect(response.text.contains("oidc.callbackURLs[0]"))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
            let loopback = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"name": "y", "oidc": {"clientID": "y", "callbackURLs": ["http://127.0.0.1:8080/cb"]}}"#))
            #expect(loopback.status == .created)
        }
    }

    /// A cross-site `<form enctype="text/plain">` can carry a JSON-looking body and the
    /// admin's cached Basic credentials; only declared JSON or YAML is accepted.
    @Test func aBodyNotDeclaredJSONOrYAMLIsRefusedAndNothingStored() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let response = try await client.execute(
                    uri: "/admin/v1/service-providers", method: .post, headers: admin.merging([.contentType: type]),
                    body: ByteBuffer(string: #"{"name": "evil", "saml": {"issuer": "evil", "acsURLs": ["https://evil.example/acs"]}}"#))
                #expect(response.status == .unsupportedMediaType)
                #expect(response.text.contains("request.unsupported_media_type"))
            }
            #expect(try await server.runtime.storage.serviceProviders.list().map(\.name) == ["travelocity"])
        }
    }

    @Test func twoFilesWithOneServiceProviderNameAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: app\nsaml: {issuer: one, acsURLs: [https://one.example/acs]}\n"
            .write(to: directory.appendingPathComponent("service-providers/a.yaml"), atomically: true, encoding: .utf8)
        try "name: app\nsaml: {issuer: two, acsURLs: [https://two.example/acs]}\n"
            .write(to: directory.appendingPathComponent("service-providers/b.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError(.storageAlreadyExists, file: "", line: nil, column: nil, path: "", reason: "")) {
            try ConfigurationLoader.load(directory: directory) { _ in ServiceProviderValidator(signingFamilies: ["rsa"]) }
        }
    }

    @Test func aUserWithAControlCharacterInAClaimIsRefused() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/admin/v1/users", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"username": "eve", "password": "p", "claims": {"givenname": "Eve\u0001"}}"#))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("user.invalid_claim"))
            #expect(try await server.runtime.storage.users.list().map(\.username) == ["alice"])
        }
    }

    @Test func theAdminAPIRequiresTheAdminCredentials() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let none = try await client.execute(uri: "/admin/v1/service-providers", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] != nil)
            let wrong = try await client.execute(
                uri: "/admin/v1/service-providers", method: .get,
                headers: [.authorization: "Basic " + Data("admin:guess".utf8).base64EncodedString()])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/admin/v1/service-providers", method: .get, headers: admin)
            #expect(right.status == .ok)
        }
    }

    @Test func theIdPMetadataNamesTheEntityTheSSOServiceAndTheCertificates() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/identity/metadata/saml2", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains("entityID=\"localhost\""))
            #expect(response.text.contains("Location=\"https://idp.test/samlsso\""))
            #expect(response.text.contains(server.runtime.credentials.rsa!.certificateBase64))
        }
    }
}
