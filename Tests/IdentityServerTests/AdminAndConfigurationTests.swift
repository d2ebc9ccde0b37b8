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

    @Test func aServiceProviderFromYAMLAndFromTheAPIIsTheSameRecord() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.yaml.write(to: directory.appendingPathComponent("service-providers/expenses.yaml"), atomically: true, encoding: .utf8)
        let server = try await TestServer()
        let fromFile = try ConfigurationLoader.load(directory: directory) { _ in server.runtime.validator }.serviceProviders[0]

        try await server.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: admin, body: ByteBuffer(string: Self.yaml))
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
                uri: "/admin/v1/service-providers", method: .post, headers: admin,
                body: ByteBuffer(string: #"{"name": "x", "certificate": "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----"}"#))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("\"sp.invalid_settings\""))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
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
