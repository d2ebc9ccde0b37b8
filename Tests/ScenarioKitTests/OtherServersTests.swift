import Foundation
import IdentityCore
import MockSupport
import StrictYAML
import Testing
@testable import ScenarioKit

/// What lets the suite judge a server it did not write: page rules and intent steps, the
/// target's SAML identity, the SimpleSAMLphp adapter's translation, and a portable
/// comparison that allows what standards leave to the server.
@Suite struct OtherServersTests {
    static func navigation(_ html: String, status: Int = 200, url: String = "http://idp.example/login") -> Navigation {
        Navigation(hops: [], url: url, status: status, page: HTMLPage(html: html), body: html)
    }

    static let rules = try! StrictYAML.decode([PageDriver.Rule].self, from: """
        - kind: login
          when: {field: password}
        - kind: consent
          when: {title: ["Consent about releasing personal information"]}
          allow: {yes: ""}
          deny: {no: ""}
          claimField: "attr.{claim}"
        - kind: error
          when: {status: [400, 405]}
        - kind: error
          when: {title: ["Metadata not found"]}
        """, file: "pages.yaml")

    static let login = """
        <html><head><title>Enter your username and password</title></head><body>
        <form action="?" method="post"><input name="username"><input type="password" name="password">
        <input type="hidden" name="AuthState" value="_abc"></form></body></html>
        """

    @Test func anotherServersPagesAreRecognisedByItsRulesFirstMatchWinning() {
        let driver = PageDriver(rules: Self.rules)
        #expect(driver.recognise(Self.navigation(Self.login), partyURLs: []).page.kind == "login")
        // Error pages sent as 200 are known by their title; an empty 405 by its status.
        #expect(driver.recognise(Self.navigation("<title>Metadata not found</title>"), partyURLs: []).page.kind == "error")
        #expect(driver.recognise(Self.navigation("", status: 405), partyURLs: []).page.kind == "error")
        // A crash is not a refusal: no rule makes a 500 an error page.
        #expect(driver.recognise(Self.navigation("<title>Server Error (500)</title>", status: 500), partyURLs: []).page.kind == nil)
        // A page no rule describes has no kind, whatever markers it carries.
        let marked = "<html><head><meta name=\"ih-page\" content=\"login\"><title>Other</title></head></html>"
        #expect(driver.recognise(Self.navigation(marked), partyURLs: []).page.kind == nil)
        // The harness's own parties' pages keep their markers under any rules.
        let party = Self.navigation(marked, url: "http://127.0.0.2:8081/acs")
        #expect(driver.recognise(party, partyURLs: ["http://127.0.0.2:8081"]).page.kind == "login")
        #expect(driver.readsMarkers(of: party, partyURLs: ["http://127.0.0.2:8081"]))
        #expect(!driver.readsMarkers(of: Self.navigation(marked), partyURLs: ["http://127.0.0.2:8081"]))
        // The reference driver reads the markers everywhere.
        #expect(PageDriver.reference.recognise(Self.navigation(marked), partyURLs: []).page.kind == "login")
    }

    @Test func intentStepsBecomeEachServersOwnFields() throws {
        let consentPage = Self.navigation("<title>Consent about releasing personal information</title>")
        let driver = PageDriver(rules: Self.rules)
        let recognised = driver.recognise(consentPage, partyURLs: [])
        #expect(try driver.fields(for: .consent(allow: true, withhold: ["lastname"]), on: recognised)
            == ["yes": "", "attr.http://wso2.org/claims/lastname": "off"])
        #expect(try driver.fields(for: .consent(allow: false, withhold: []), on: recognised) == ["no": ""])

        var reference = Self.navigation("<meta name=\"ih-page\" content=\"consent\">")
        reference = PageDriver.reference.recognise(reference, partyURLs: [])
        #expect(try PageDriver.reference.fields(for: .consent(allow: true, withhold: ["http://wso2.org/claims/givenname"]), on: reference)
            == ["decision": "approve", "consent.http://wso2.org/claims/givenname": "off"])
        let provision = PageDriver.reference.recognise(Self.navigation("<meta name=\"ih-page\" content=\"provision\">"), partyURLs: [])
        #expect(try PageDriver.reference.fields(for: .provision(allow: true, fields: [("username", "paula"), ("password", "pw")]), on: provision)
            == ["username": "paula", "password": "pw", "confirmation": "pw", "decision": "approve"])

        // `login` fills the login rule's field names, or the usual ones.
        let jLogin = "<title>Sign in</title><form method=post><input name=j_username><input type=password name=j_password></form>"
        let named = PageDriver(rules: [PageDriver.Rule(kind: "login", when: .init(field: "j_password"), usernameField: "j_username", passwordField: "j_password")])
        #expect(named.loginFields(username: "alice", password: "pw", on: Self.navigation(jLogin)) == ["j_username": "alice", "j_password": "pw"])
        #expect(driver.loginFields(username: "alice", password: "pw", on: Self.navigation(Self.login)) == ["username": "alice", "password": "pw"])
        // On the wrong page an intent is a clear failure, not a blind post.
        #expect(throws: ScenarioError.self) { try driver.fields(for: .provide([("country", "NZ")]), on: driver.recognise(Self.navigation(Self.login), partyURLs: [])) }
        // A rule that does not say how to answer is named as the thing to fix.
        let silent = PageDriver(rules: [PageDriver.Rule(kind: "consent", when: .init(title: ["Consent about releasing personal information"]))])
        #expect(throws: ScenarioError.self) { try silent.fields(for: .consent(allow: true, withhold: []), on: recognised) }
    }

    @Test func intentStepsAreDecodedAndMisuseIsRefused() throws {
        func step(_ yaml: String) throws -> Step { try StrictYAML.decode(Step.self, from: yaml, file: "s.yaml") }
        guard case .answer(.consent(true, let withheld)) = try step("consent: {withhold: [lastname]}") else { Issue.record("consent"); return }
        #expect(withheld == ["lastname"])
        guard case .answer(.provision(false, _)) = try step("provision: deny") else { Issue.record("provision deny"); return }
        guard case .unsolicited("travelocity.com", let options) = try step("unsolicited: {for: travelocity.com, relayState: x}") else {
            Issue.record("unsolicited"); return
        }
        #expect(options.map(\.0) == ["relayState"])
        for bad in ["consent: maybe", "provide: {}", "provision: {decision: approve}", "unsolicited: {acs: x}", "unsolicited: {for: a, binding: post}"] {
            #expect(throws: (any Error).self, "\(bad)") { try step(bad) }
        }
    }

    @Test func idpInitiatedURLsFillOnlyTheParametersAStepGives() throws {
        let target = SAMLIdentityProviderTarget(
            entityID: "https://idp.example", ssoURL: "{server}/sso", certificates: [],
            unsolicitedURL: "{server}/sso?spentityid={entityID}&ConsumerURL={acs}&RelayState={relayState}&fixed=1")
        let p = Placeholders(values: ["server": "http://127.0.0.1:9480", "sp": "http://127.0.0.2:1"], baseDirectory: URL(fileURLWithPath: "/"), strict: true)
        #expect(try target.unsolicited(entityID: "travelocity.com", options: [:], placeholders: p)
            == "http://127.0.0.1:9480/sso?spentityid=travelocity.com&fixed=1")
        #expect(try target.unsolicited(entityID: "sp", options: ["acs": "{sp}/acs", "relayState": "a b&c"], placeholders: p)
            == "http://127.0.0.1:9480/sso?spentityid=sp&ConsumerURL=http%3A%2F%2F127.0.0.2%3A1%2Facs&RelayState=a%20b%26c&fixed=1")
        // Written values are decoded once and take placeholders; a run placeholder fills a whole value.
        let written = SAMLIdentityProviderTarget(
            entityID: "i", ssoURL: "{server}/sso", certificates: [], unsolicitedURL: "{server}/sso?target={sp}%2Fapp&from={server}&sp={entityID}")
        #expect(try written.unsolicited(entityID: "x", options: [:], placeholders: p)
            == "http://127.0.0.1:9480/sso?target=http%3A%2F%2F127.0.0.2%3A1%2Fapp&from=http%3A%2F%2F127.0.0.1%3A9480&sp=x")
        // A server without IdP-initiated SSO described cannot be asked for it.
        for template in [nil, ""] {
            let none = SAMLIdentityProviderTarget(entityID: nil, ssoURL: "{server}/sso", certificates: [], unsolicitedURL: template)
            #expect(throws: ScenarioError.self) { try none.unsolicited(entityID: "sp", options: [:], placeholders: p) }
        }
    }

    static func registration(_ yaml: String) throws -> JSONValue {
        try JSONValue(parsing: Data(StrictYAML.decode(ConfigValue.self, from: yaml, file: "r.yaml").json.utf8))
    }

    @Test func simpleSAMLphpMetadataMeansWhatTheRegistrationMeans() throws {
        let (entityID, metadata) = try SimpleSAMLphpAdapter.metadata(for: Self.registration("""
            name: travelocity
            certificate: "-----BEGIN CERTIFICATE-----\\nMIIB\\nAQAB\\n-----END CERTIFICATE-----\\n"
            saml:
              issuer: travelocity.com
              acsURLs: ["http://sp/acs", "http://sp/acs/second", "http://sp/acs/third"]
              defaultACSURL: "http://sp/acs/second"
              acsIndexes: [{index: 3, url: "http://sp/acs"}]
              signResponses: false
              signatureAlgorithm: rsa-sha512
              validateRequestSignatures: true
              audiences: [travelocity.com, "urn:extra"]
              assertionValiditySeconds: 120
            """))
        #expect(entityID == "travelocity.com")
        let endpoints = metadata["AssertionConsumerService"]?.arrayValue ?? []
        #expect(endpoints.map { $0["Location"]?.stringValue } == ["http://sp/acs", "http://sp/acs/second", "http://sp/acs/third"])
        #expect(endpoints.map { $0["index"] } == [.int(3), .int(4), .int(5)])
        #expect(endpoints.map { $0["isDefault"] } == [.bool(false), .bool(true), .bool(false)])
        // A username is no email address: WSO2 sends it as unspecified, so that is configured.
        #expect(metadata["NameIDFormat"]?.stringValue == "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
        #expect(metadata["authproc"]?["10"]?["attribute"]?.stringValue == "uid")
        #expect(metadata["saml20.sign.response"] == .bool(false))
        #expect(metadata["saml20.sign.assertion"] == .bool(true))
        #expect(metadata["signature.algorithm"]?.stringValue == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512")
        #expect(metadata["validate.authnrequest"] == .bool(true))
        #expect(metadata["certData"]?.stringValue == "MIIBAQAB")
        #expect(metadata["audience"] == .array([.string("urn:extra")]))
        #expect(metadata["assertion.lifetime"] == .int(120))
        // No attribute profile: no attributes at all.
        #expect(metadata["simplesaml.attributes"] == .bool(false))
    }

    @Test func simpleSAMLphpReleasesACustomDialectUnderTheSPsNamesAndRefusesWhatItCannotDo() throws {
        let (_, metadata) = try SimpleSAMLphpAdapter.metadata(for: Self.registration("""
            name: t
            saml: {issuer: t, acsURLs: ["http://sp/acs"], attributeProfile: true, includeAttributesAlways: true,
                   nameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}
            claims:
              subjectClaim: emailaddress
              dialect: custom
              mappings:
                - {local: emailaddress, sp: "urn:t:mail"}
                - {local: http://wso2.org/claims/lastname, sp: surname, requested: false}
            """))
        #expect(metadata["NameIDFormat"]?.stringValue == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
        #expect(metadata["authproc"]?["10"]?["attribute"]?.stringValue == "http://wso2.org/claims/emailaddress")
        #expect(metadata["authproc"]?["50"] == .object(["class": .string("core:AttributeLimit"), "0": .string("http://wso2.org/claims/emailaddress")]))
        #expect(metadata["authproc"]?["60"] == .object(["class": .string("core:AttributeMap"), "http://wso2.org/claims/emailaddress": .string("urn:t:mail")]))
        #expect(metadata["simplesaml.attributes"] == nil)
        // No consent store given: no consent filter; with one, consent is asked and remembered.
        #expect(metadata["authproc"]?["90"] == nil)
        let withStore = try SimpleSAMLphpAdapter.metadata(
            for: Self.registration("name: t\nsaml: {issuer: t}\nclaims: {mappings: [{local: emailaddress}]}\n"), consentStore: "/lab/consent.sqlite").1
        #expect(withStore["authproc"]?["90"]?["checked"] == .bool(true))
        // Asked about what the SP asks for only, even though no attribute is sent.
        #expect(withStore["authproc"]?["50"] == .object(["class": .string("core:AttributeLimit"), "0": .string("http://wso2.org/claims/emailaddress")]))
        #expect(withStore["simplesaml.attributes"] == .bool(false))
        #expect(withStore["authproc"]?["90"]?["store"]?["dsn"] == .string("sqlite:/lab/consent.sqlite"))
        let skipping = try SimpleSAMLphpAdapter.metadata(
            for: Self.registration("name: t\nsaml: {issuer: t}\nclaims: {skipConsent: true, mappings: [{local: emailaddress}]}\n"),
            consentStore: "/lab/consent.sqlite").1
        #expect(skipping["authproc"]?["90"] == nil)

        #expect(throws: ScenarioError.self) {
            try SimpleSAMLphpAdapter.metadata(for: Self.registration("name: t\nsaml: {issuer: t, signatureAlgorithm: ecdsa-sha256}\n"))
        }
        #expect(throws: ScenarioError.self) { try SimpleSAMLphpAdapter.metadata(for: Self.registration("name: rp\noidc: {clientID: x}\n")) }
    }

    @Test func simpleSAMLphpStateKeepsOnlyWhatWasThereBefore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-ssp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try StrictYAML.decode(TargetFile.self, from: """
            frontChannel: http://127.0.0.1:9480
            backChannel: http://127.0.0.1:9480
            adapter: simplesamlphp
            adapterSettings: {directory: "\(directory.path)"}
            """, file: "t.yaml")
        file.directory = directory
        let adapter = try SimpleSAMLphpAdapter(file: file)
        let target = ConformanceTarget.Remote(file: file, client: .shared, adapter: adapter)
        try await adapter.addUser(Self.registration("{username: alice, password: pw, claims: {emailaddress: a@example.com}}"), on: target, client: .shared)
        let before = try await adapter.inventory(of: target, client: .shared)
        try await adapter.register(Self.registration("name: t\nsaml: {issuer: t, acsURLs: ['http://sp/acs']}\n"), identityProvider: false, on: target, client: .shared)
        try await adapter.addUser(Self.registration("{username: bob, password: pw}"), on: target, client: .shared)
        // The same user twice is refused, as a server would.
        await #expect(throws: ScenarioError.self) {
            try await adapter.addUser(Self.registration("{username: bob, password: other}"), on: target, client: .shared)
        }
        let state = try JSONValue(parsing: Data(contentsOf: directory.appendingPathComponent("harness-state.json")))
        #expect(state["users"]?["alice:pw"]?["http://wso2.org/claims/emailaddress"] == .array([.string("a@example.com")]))
        #expect(state["users"]?["alice:pw"]?["uid"] == .array([.string("alice")]))
        try await adapter.removeAdded(since: before, on: target, client: .shared)
        #expect(try await adapter.inventory(of: target, client: .shared) == before)
    }

    @Test func aNotBeforeSetBackForClockSkewMatchesButOtherTimesKeepTheirTolerance() {
        let expected = JSONValue.object(["notBefore": .string("{t+0}"), "notOnOrAfter": .string("{t+300}")])
        func differences(_ notBefore: String, _ notOnOrAfter: String = "{t+300}") -> [String] {
            VectorDiff.compare(
                expected: expected, actual: .object(["notBefore": .string(notBefore), "notOnOrAfter": .string(notOnOrAfter)]),
                timeTolerance: Vector.timeTolerance, earlier: Vector.earlierAllowed
            ).map(\.path)
        }
        #expect(differences("{t-30}").isEmpty)
        #expect(differences("{t+5}").isEmpty)
        #expect(differences("{t+30}") == ["notBefore"])
        #expect(differences("{t-400}") == ["notBefore"])
        #expect(differences("{t+0}", "{t+270}") == ["notOnOrAfter"])
    }

    @Test func theIdPsNamesBecomePlaceholdersOnlyInWhatTheSPSawOfIt() {
        let identities = ["https://idp.example": "{server.entityID}", "CN=idp": "{server.certificate.rsa}"]
        let observed = JSONValue.array([
            .object(["issuer": .string("https://idp.example"), "signingCertificate": .string("CN=idp"), "relayState": .string("https://idp.example")]),
            .object(["issuer": .string("https://evil.example"), "accepted": .bool(false)]),
        ])
        let named = ScenarioRunner.naming(observed, identities).arrayValue ?? []
        #expect(named[0]["issuer"] == .string("{server.entityID}"))
        #expect(named[0]["signingCertificate"] == .string("{server.certificate.rsa}"))
        // Another field with the same text is data, and a wrong issuer shows as it came.
        #expect(named[0]["relayState"] == .string("https://idp.example"))
        #expect(named[1]["issuer"] == .string("https://evil.example"))
    }

    @Test func aTargetFilesPathsAreTakenFromItsOwnDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-target-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lab"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.yaml")
        try """
            frontChannel: http://127.0.0.1:9480
            backChannel: http://127.0.0.1:9480
            adapter: simplesamlphp
            adapterSettings: {directory: lab}
            expectedFailures: known.yaml
            saml: {entityID: "https://idp", ssoURL: "{server}/sso", certificates: [lab/idp.crt]}
            pages: [{kind: login, when: {field: password}}]
            """.write(to: url, atomically: true, encoding: .utf8)
        let file = try TargetFile.load(url, displayName: "t.yaml")
        #expect(file.saml?.certificates == [directory.appendingPathComponent("lab/idp.crt").standardizedFileURL.path])
        #expect(file.path(file.expectedFailures!) == directory.appendingPathComponent("known.yaml").standardizedFileURL)
        // Page rules mean another server: its URLs are not the reference server's.
        #expect(!file.effectiveCapabilities.contains(.referenceURLs))
        // An adapter missing its settings, or a SAML IdP without its entity ID, is refused when the file is read.
        try "frontChannel: http://a\nbackChannel: http://a\nadapter: simplesamlphp\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) { try TargetFile.load(url, displayName: "t.yaml") }
        try """
            frontChannel: http://a
            backChannel: http://a
            adapter: simplesamlphp
            adapterSettings: {directory: lab}
            saml: {ssoURL: "{server}/sso", certificates: []}
            """.write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) { try TargetFile.load(url, displayName: "t.yaml") }
    }
}
