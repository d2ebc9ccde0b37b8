import Foundation
import IdentityCore
import IdentityServer
import SAML
import Testing

/// The local claim dialect from `server.yaml`: laid over the standard set, and the claims
/// a service provider or user names must exist in it.
struct ClaimDialectConfigurationTests {
    func settings(_ yaml: String) throws -> ServerSettings {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-dialect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try yaml.write(to: directory.appendingPathComponent("server.yaml"), atomically: true, encoding: .utf8)
        return try ConfigurationLoader.settings(directory: directory)
    }

    @Test func dialectEntriesAddClaimsAndReplaceStandardOnesInPlace() throws {
        let dialect = try settings(
            """
            claimDialect:
              - { uri: employeeNumber, displayName: Employee number }
              - { uri: http://wso2.org/claims/mobile, displayName: Work phone, type: phone }
            """
        ).dialect
        #expect(dialect.definition("http://wso2.org/claims/employeeNumber")?.displayName == "Employee number")
        #expect(dialect.definition(LocalClaims.mobile)?.displayName == "Work phone")
        #expect(dialect.definition(LocalClaims.emailAddress)?.type == .email, "the rest of the standard set stays")
        #expect(dialect.definitions.count == ClaimDialect.standard.definitions.count + 1)
    }

    @Test func theUsernameAndRoleClaimsCannotBeMadeEditable() {
        #expect(throws: (any Error).self) {
            try settings("claimDialect:\n  - { uri: role, displayName: Roles, userEditable: true }\n")
        }
    }

    @Test func anUnknownClaimTypeIsRefused() {
        #expect(throws: (any Error).self) {
            try settings("claimDialect:\n  - { uri: shoesize, displayName: Shoe size, type: number }\n")
        }
    }

    @Test func aServiceProviderMappingAClaimOutsideTheDialectIsRefused() throws {
        let validator = ServiceProviderValidator(signingFamilies: ["rsa"])
        let provider = ServiceProvider(
            name: "app", sections: [SAMLSettings(issuer: "app", acsURLs: ["https://app.example/acs"])],
            claims: ClaimConfiguration(mappings: [ClaimMapping(local: "http://wso2.org/claims/shoesize")]))
        #expect(throws: IdentityError.self) { try validator.validate(provider) }
    }
}
