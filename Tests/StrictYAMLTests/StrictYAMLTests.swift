import IdentityCore
import StrictYAML
import Testing

/// A protocol section of the kind SAML and OIDC declare, so these tests see the
/// extension point without depending on a protocol module.
private struct LoginSection: ServiceProviderSection {
    static let key = "login"
    var issuer: String
    var signAssertions: Bool
    var binding: Binding

    enum Binding: String, ConfigurationEnum { case redirect, post }

    var lookupKeys: [ServiceProviderLookup] { [.init(field: "login.issuer", value: issuer)] }

    enum CodingKeys: String, CodingKey, CaseIterable { case issuer, signAssertions, binding }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decode(String.self, forKey: .issuer)
        signAssertions = try c.decodeIfPresent(Bool.self, forKey: .signAssertions) ?? true
        binding = try c.decodeIfPresent(Binding.self, forKey: .binding) ?? .redirect
    }
}

private let sections = SectionRegistry(serviceProviderSections: [LoginSection.self]).userInfo

@Suite struct StrictYAMLTests {
    @Test func aServiceProviderDecodesWithItsSectionsAndDefaults() throws {
        let sp = try StrictYAML.decode(
            ServiceProvider.self,
            from: """
                name: travelocity
                login:
                  issuer: travelocity.com
                """, file: "t.yaml", userInfo: sections)
        #expect(sp.tenant == Tenant.superTenant)
        #expect(sp[section: LoginSection.self]?.issuer == "travelocity.com")
        #expect(sp[section: LoginSection.self]?.signAssertions == true)
        #expect(sp[section: LoginSection.self]?.binding == .redirect)
        #expect(sp.lookupKeys == [.init(field: "login.issuer", value: "travelocity.com")])
    }

    @Test func anUnknownKeyIsRefusedWithItsLineAndASuggestion() {
        do {
            _ = try StrictYAML.decode(
                ServiceProvider.self,
                from: """
                    name: travelocity
                    login:
                      issuer: travelocity.com
                      binding: post
                      signAssertion: false
                    """, file: "sps/t.yaml", userInfo: sections)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.code == .configUnknownKey)
            #expect(error.line == 5)
            #expect(error.detail.hasPrefix("sps/t.yaml:5:"))
            #expect(error.detail.contains("did you mean 'signAssertions'"))
        }
    }

    @Test func aMisspeltSectionIsRefusedWithTheRegisteredOnesSuggested() {
        do {
            _ = try StrictYAML.decode(ServiceProvider.self, from: "name: t\nlogn:\n  issuer: t.com\n", file: "t.yaml", userInfo: sections)
            Issue.record("an unknown section was accepted")
        } catch {
            #expect(error.code == .configUnknownKey)
            #expect(error.line == 2)
            #expect(error.detail.contains("did you mean 'login'"))
        }
        // Without the section registered, the same section is unknown too.
        #expect(throws: ConfigurationError(.configUnknownKey, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.decode(ServiceProvider.self, from: "name: t\nlogin:\n  issuer: t.com\n", file: "t.yaml")
        }
    }

    @Test func aSectionValueOutsideItsChoicesIsRefusedWithTheChoices() {
        do {
            _ = try StrictYAML.decode(
                ServiceProvider.self, from: "name: t\nlogin:\n  issuer: t.com\n  binding: artifact\n", file: "t.yaml", userInfo: sections)
            Issue.record("an unknown binding was accepted")
        } catch {
            #expect(error.code == .configInvalidValue)
            #expect(error.path == "login.binding")
            #expect(error.detail.contains("use one of redirect, post"))
        }
    }

    @Test func aValueOfTheWrongTypeIsRefusedWithItsLine() {
        do {
            _ = try StrictYAML.decode(
                ServiceProvider.self,
                from: """
                    name: travelocity
                    saas: sometimes
                    """, file: "t.yaml")
            Issue.record("a bad boolean was accepted")
        } catch {
            #expect(error.code == .configInvalidValue)
            #expect(error.line == 2)
            #expect(error.path == "saas")
        }
    }

    @Test func aMissingRequiredKeyIsNamed() {
        #expect(throws: ConfigurationError(.configMissingKey, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.decode(ServiceProvider.self, from: "description: no name\n", file: "t.yaml")
        }
    }

    @Test func duplicateKeysAliasesAndSyntaxErrorsAreRefused() {
        #expect(throws: ConfigurationError(.configDuplicateKey, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.decode(ServiceProvider.self, from: "name: a\nname: b\n", file: "t.yaml")
        }
        #expect(throws: ConfigurationError(.configSyntax, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.decode(ServiceProvider.self, from: "name: [unclosed\n", file: "t.yaml")
        }
    }

    @Test func jsonDecodesWithTheSameRules() throws {
        let sp = try StrictYAML.decode(ServiceProvider.self, from: #"{"name": "x", "saas": true}"#, file: "body")
        #expect(sp.saas)
        #expect(throws: ConfigurationError(.configUnknownKey, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.decode(ServiceProvider.self, from: #"{"name": "x", "sass": true}"#, file: "body")
        }
    }

    @Test func aValidationErrorIsReportedAtTheLineOfItsField() {
        do {
            _ = try StrictYAML.decode(
                ServiceProvider.self, from: "name: x\nlogin:\n  issuer: i\n  binding: post\n", file: "t.yaml", userInfo: sections
            ) { sp in
                throw IdentityError(.spInvalidSettings, field: "login.binding", detail: "bad")
            }
            Issue.record("validation did not run")
        } catch {
            #expect(error.code == .spInvalidSettings)
            #expect(error.line == 4)
        }
    }
}

@Suite struct StrictYAMLAliasBombTests {
    @Test func anAliasBombIsRefusedWithoutExpandingIt() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...30 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(throws: ConfigurationError(.configUnsupported, file: "", line: nil, column: nil, path: "", reason: "")) {
            try StrictYAML.node(from: text, file: "bomb.yaml")
        }
    }
}

/// What the two JSON-shaped values do alike, written once over their shape.
@Suite struct ConfigValueTests {
    @Test func jsonKeepsDocumentOrderAndMapStringsReachesEveryString() throws {
        let value = ConfigValue(node: try StrictYAML.node(from: "b: {x: \"{sp}\"}\na: [1, 2.5, true, null, \"{sp}\"]\n", file: "t.yaml"))
        #expect(value.json == #"{"b":{"x":"{sp}"},"a":[1,2.5,true,null,"{sp}"]}"#)
        let substituted = value.mapStrings { $0.replacingOccurrences(of: "{sp}", with: "http://sp") }
        #expect(substituted["b"]?["x"]?.stringValue == "http://sp")
        #expect(substituted.jsonText(spaced: true) == #"{"b": {"x": "http://sp"}, "a": [1, 2.5, true, null, "http://sp"]}"#)
    }
}
