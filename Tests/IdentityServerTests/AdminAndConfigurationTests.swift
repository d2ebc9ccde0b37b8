import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityServer
import SAML
import XMLSecurity
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

    /// Protocol settings are typed values of their modules: a value outside the choices is
    /// refused while decoding, at its line, with the choices listed.
    @Test func aProtocolSettingOutsideItsChoicesIsRefusedAtItsLineWithTheChoices() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("service-providers"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = [
            ("saml:\n  issuer: x\n  acsURLs: [https://x.example/acs]\n  signatureAlgorithm: rsa-sha3\n", 5, "saml.signatureAlgorithm", "rsa-sha256"),
            ("oidc:\n  clientID: x\n  callbackURLs: [https://x.example/cb]\n  grantTypes: [authorisation_code]\n", 5, "oidc.grantTypes[0]", "authorization_code"),
            ("oidc:\n  clientID: x\n  tokenEndpointAuthMethod: client_secret_jwt\n", 4, "oidc.tokenEndpointAuthMethod", "private_key_jwt"),
            ("saml:\n  issuer: x\n  acsURLs: [https://x.example/acs]\n  nameIDFormat: email\n", 5, "saml.nameIDFormat", "emailAddress"),
        ]
        let file = directory.appendingPathComponent("service-providers/x.yaml")
        for (section, line, path, choice) in cases {
            try ("name: x\n" + section).write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try ConfigurationLoader.load(directory: directory) { _ in ServiceProviderValidator(signingFamilies: ["rsa"]) }
                Issue.record("\(path) outside its choices was accepted")
            } catch let error as ConfigurationError {
                #expect(error.code == .configInvalidValue, "\(path)")
                #expect(error.line == line, "\(path)")
                #expect(error.path == path)
                #expect(error.detail.contains(choice), "\(error.detail)")
            }
        }
        // A NameID format may be named by its last segment.
        try "name: x\nsaml:\n  issuer: x\n  acsURLs: [https://x.example/acs]\n  nameIDFormat: persistent\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(directory: directory) { _ in ServiceProviderValidator(signingFamilies: ["rsa"]) }
        #expect(loaded.serviceProviders.first?.saml?.nameIDFormat == .persistent)
    }

    @Test func anUnknownGrantTypeSentToTheAdminAPIIsRefusedAndNothingStored() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let response = try await client.execute(
                uri: "/admin/v1/service-providers", method: .post, headers: adminJSON,
                body: ByteBuffer(string: #"{"name": "x", "oidc": {"clientID": "x", "callbackURLs": ["https://x.example/cb"], "grantTypes": ["magic"]}}"#))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("\"config.invalid_value\""))
            #expect(response.text.contains("oidc.grantTypes[0]"))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
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

    /// SA-11: an uploaded metadata document creates the SP it describes; a hostile or
    /// unusable one, or one sent as a type a cross-site form could send, stores nothing.
    @Test func anSPIsCreatedFromUploadedMetadataAndBadMetadataStoresNothing() async throws {
        let server = try await TestServer()
        let credential = try SigningCredential(
            keyPEM: String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.key"), encoding: .utf8),
            certificatePEM: String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.crt"), encoding: .utf8))
        let metadata = SAMLMetadata.serviceProvider(
            entityID: "https://partner-sp.example", acsURLs: ["https://partner-sp.example/acs"], certificate: credential, signsRequests: true)
        let xmlHeaders = admin.merging([.contentType: "application/samlmetadata+xml"])
        try await server.application.test(.router) { client in
            let hostile = try await client.execute(
                uri: "/admin/v1/service-providers/saml-metadata?name=partner", method: .post, headers: xmlHeaders,
                body: ByteBuffer(string: #"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>"# + metadata))
            #expect(hostile.status == .badRequest)
            #expect(hostile.text.contains("\"xml.dtd_forbidden\""))
            let plain = try await client.execute(
                uri: "/admin/v1/service-providers/saml-metadata?name=partner", method: .post, headers: admin.merging([.contentType: "text/plain"]),
                body: ByteBuffer(string: metadata))
            #expect(plain.status == .unsupportedMediaType)
            let unnamed = try await client.execute(
                uri: "/admin/v1/service-providers/saml-metadata", method: .post, headers: xmlHeaders, body: ByteBuffer(string: metadata))
            #expect(unnamed.text.contains("\"request.missing_field\""))
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)

            let created = try await client.execute(
                uri: "/admin/v1/service-providers/saml-metadata?name=partner", method: .post, headers: xmlHeaders, body: ByteBuffer(string: metadata))
            #expect(created.status == .created, "\(created.text)")
            let sp = try await server.runtime.storage.serviceProviders.get(name: "partner")
            #expect(sp.saml?.issuer == "https://partner-sp.example")
            #expect(sp.saml?.acsURLs == ["https://partner-sp.example/acs"])
            #expect(sp.saml?.validateRequestSignatures == true)
            let expected = try CertificateLoader.certificate(pem: String(contentsOf: TestServer.keys.appendingPathComponent("sp-rsa.crt"), encoding: .utf8))
            #expect(try sp.certificate.map { try CertificateLoader.certificate(pem: $0) } == expected)
            // The same entity ID again is the same SP: refused, not a second record.
            let again = try await client.execute(
                uri: "/admin/v1/service-providers/saml-metadata?name=partner-2", method: .post, headers: xmlHeaders, body: ByteBuffer(string: metadata))
            #expect(again.status != .created)
            #expect(try await server.runtime.storage.serviceProviders.list().count == 2)
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

    @Test func aServerWithoutAdminCredentialsHasNoAdminAPI() async throws {
        var settings = TestServer.settings
        settings.admin = nil
        let server = try await TestServer(settings: settings)
        try await server.application.test(.router) { client in
            // Whatever credentials are presented: there is nothing to sign in to.
            let response = try await client.execute(uri: "/admin/v1/service-providers", method: .get, headers: admin)
            #expect(response.status == .forbidden)
            #expect(response.text.contains("\"admin.disabled\""))
        }
    }

    @Test func metadataAtAURLThatCannotBeReadIsRefusedAndNothingStored() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            for url in ["ftp://partner.example/metadata.xml", "http://127.0.0.1:1/metadata.xml"] {
                let response = try await client.execute(
                    uri: "/admin/v1/service-providers/saml-metadata", method: .post, headers: adminJSON,
                    body: ByteBuffer(string: #"{"name": "partner", "metadataURL": "\#(url)"}"#))
                #expect(response.status == .badGateway, "\(url)")
                #expect(response.text.contains("\"saml.metadata_unreachable\""), "\(url): \(response.text)")
            }
            #expect(try await server.runtime.storage.serviceProviders.list().count == 1)
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
