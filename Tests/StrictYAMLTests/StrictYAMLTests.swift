import IdentityCore
import StrictYAML
import Testing

@Suite struct StrictYAMLTests {
    @Test func aServiceProviderDecodesWithDefaults() throws {
        let sp = try StrictYAML.decode(
            ServiceProvider.self,
            from: """
                name: travelocity
                saml:
                  issuer: travelocity.com
                  acsURLs: [https://t.example/acs]
                """, file: "t.yaml")
        #expect(sp.tenant == Tenant.superTenant)
        #expect(sp.saml?.nameIDFormat == SAMLSettings.emailAddressFormat)
        #expect(sp.saml?.signAssertions == true)
    }

    @Test func anUnknownKeyIsRefusedWithItsLineAndASuggestion() {
        do {
            _ = try StrictYAML.decode(
                ServiceProvider.self,
                from: """
                    name: travelocity
                    saml:
                      issuer: travelocity.com
                      acsURLs: [https://t.example/acs]
                      signAssertion: false
                    """, file: "sps/t.yaml")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.code == .configUnknownKey)
            #expect(error.line == 5)
            #expect(error.detail.hasPrefix("sps/t.yaml:5:"))
            #expect(error.detail.contains("did you mean 'signAssertions'"))
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
                ServiceProvider.self, from: "name: x\nsaml:\n  issuer: i\n  acsURLs: [https://a.example/acs]\n", file: "t.yaml"
            ) { sp in
                throw IdentityError(.spInvalidSettings, field: "saml.acsURLs", detail: "bad")
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
