import AsyncHTTPClient
import Foundation
import MockSupport
import ScenarioKit
import Testing

/// The app suite's control run: our own mock SP and mock RP (careful applications) as the
/// applications under test. Each genuine login must sign the person in and every hostile
/// case must leave them signed out; a case a careful application accepts would not be
/// hostile. The same runner against a careless application must name what it accepted.
@Suite(.serialized) struct AppControlTests {
    static let root = BundledSuiteTests.root

    func run(_ appFile: URL, cases: [AppCase]? = nil) async throws -> [AppCaseResult] {
        let file = try AppTargetFile.load(appFile, displayName: appFile.lastPathComponent)
        let suite = try cases.map(AppSuite.init(cases:)) ?? AppSuite.bundled(root: Self.root)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let results = try await AppRunner(root: Self.root, file: file, suite: suite, client: client).run()
        try await client.shutdown()
        return results
    }

    @Test(arguments: ["mock-sp", "mock-rp"])
    func ourCarefulMocksSignInOnlyOnTheGenuineLoginsAndMatchTheirScorecards(_ app: String) async throws {
        let appFile = Self.root.appendingPathComponent("Targets/apps/\(app).yaml")
        let results = try await run(appFile)
        #expect(results.count > 20)
        for result in results {
            switch result.id {
            case let id where id.hasSuffix("/genuine") || id.hasSuffix("/genuine-again"):
                #expect(result.verdict == .signedIn, "\(id): \(result.line)")
            case "saml/comment-in-nameid", "saml/reference-id-appears-twice", "oidc/no-kid":
                #expect([.refused, .acceptedSafely].contains(result.verdict), "\(result.line)")
            default:
                #expect([.refused, .notApplicable].contains(result.verdict), "\(result.line)")
            }
        }
        let file = try AppTargetFile.load(appFile, displayName: app)
        let scorecard = try #require(file.scorecard)
        let committed = try #require(try AppScorecard.read(file.path(scorecard)))
        let now = AppScorecard(app: file.name, kind: file.kind.rawValue, results: results)
        #expect(now.differences(from: committed) == [])
    }

    /// A careless SP (unsolicited Responses on, while its app file says they are off) and
    /// a case list of its own: the runner names the acceptance and whom it signed in.
    @Test func aCarelessApplicationIsCaughtSigningInOnAHostileResponse() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("app-control-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = Self.root.appendingPathComponent("Mocks/keys").path
        try """
            kind: saml
            entityID: https://careless-sp.example
            signing: {privateKey: \(keys)/sp-rsa.key, certificate: \(keys)/sp-rsa.crt}
            forgery: {privateKey: \(keys)/attacker-rsa.key, certificate: \(keys)/attacker-rsa.crt}
            idp: {entityID: http://127.0.0.1:18096/metadata, ssoURL: "{server}/sso", certificates: [\(keys)/idp-rsa.crt]}
            allowUnsolicited: true
            sessions: true
            """.write(to: directory.appendingPathComponent("careless-sp.yaml"), atomically: true, encoding: .utf8)
        try """
            name: careless-sp
            kind: saml
            app:
              login: http://127.0.0.1:18095/login
              signedIn: {url: http://127.0.0.1:18095/whoami, user: 'data-observe="nameID">([^<]*)<'}
              inProcess: careless-sp.yaml
            saml: {entityID: https://careless-sp.example, acsURLs: [http://127.0.0.1:18095/acs]}
            idp: {listen: 127.0.0.1:18096, profile: \(Self.root.path)/Mocks/idps/hostile-saml.yaml}
            """.write(to: directory.appendingPathComponent("careless.yaml"), atomically: true, encoding: .utf8)
        let suite = try AppSuite.bundled(root: Self.root)
        let cases = suite.cases.filter { ["saml/genuine", "saml/unsolicited", "saml/xsw3"].contains($0.id) }
        let results = try await run(directory.appendingPathComponent("careless.yaml"), cases: cases)
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0) })
        #expect(byID["saml/genuine"]?.verdict == .signedIn)
        #expect(byID["saml/unsolicited"]?.verdict == .acceptedWrongly)
        #expect(byID["saml/unsolicited"]?.signedInAs == "saml-unsolicited@app.test")
        #expect(byID["saml/unsolicited"]?.failsRun == true)
        #expect(byID["saml/xsw3"]?.verdict == .refused)
    }

    /// A case that could not be hostile (nothing armed, a fault of the other protocol, a
    /// replay flow without what it replays) would pass an application for nothing, or
    /// blame it for a genuine login: refused when the suite is read, naming the case.
    @Test func aCaseThatArmsNothingHostileIsRefusedWhenTheSuiteIsRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        func load(_ line: String) throws -> AppSuite {
            try "cases:\n  - \(line)\n".write(to: url, atomically: true, encoding: .utf8)
            return try AppSuite.load(url, displayName: "cases.yaml")
        }
        #expect(try load(#"{id: saml/expired, title: t, idp: {faults: [expired]}}"#).cases.count == 1)
        for line in [
            #"{id: saml/nothing, title: t}"#,
            #"{id: saml/state, title: t, idp: {faults: [wrong-state]}}"#,
            #"{id: oidc/xsw, title: t, idp: {faults: [xsw1]}}"#,
            #"{id: saml/replay, title: t, flow: replay, idp: {faults: [expired]}}"#,
            #"{id: oidc/code, title: t, flow: callback-replay, idp: {faults: [bad-nonce]}}"#,
            #"{id: oidc/genuine, title: t, expect: signed-in, idp: {faults: [expired]}}"#,
            #"{id: ldap/x, title: t, idp: {faults: [expired]}}"#,
        ] {
            #expect(throws: ScenarioError.self, "\(line)") { try load(line) }
        }
    }

    /// The mock RP started without state, nonce or PKCE (its `/login` switches): nothing
    /// ties a callback to the browser that started the login, so the code-replay case must
    /// find it signing a second browser in as the first login's person.
    @Test func aRelyingPartyWithoutStateNonceOrPKCEIsCaughtAcceptingAReplayedCallback() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("app-careless-rp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name: careless-rp
            kind: oidc
            app:
              login: http://127.0.0.1:18100/login?state=omit&nonce=omit&pkce=none
              signedIn: {url: http://127.0.0.1:18100/whoami, user: 'data-observe="sub">([^<]*)<'}
              inProcess: \(Self.root.path)/Mocks/apps/control-rp.yaml
            oidc: {clientID: control-rp, clientSecret: control-rp-secret, redirectURIs: [http://127.0.0.1:18100/callback]}
            idp: {listen: 127.0.0.1:18101, profile: \(Self.root.path)/Mocks/idps/hostile-oidc.yaml}
            """.write(to: directory.appendingPathComponent("careless.yaml"), atomically: true, encoding: .utf8)
        let cases = try AppSuite.bundled(root: Self.root).cases.filter { ["oidc/genuine", "oidc/code-replay"].contains($0.id) }
        let results = try await run(directory.appendingPathComponent("careless.yaml"), cases: cases)
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0) })
        #expect(byID["oidc/genuine"]?.verdict == .signedIn)
        #expect(byID["oidc/code-replay"]?.verdict == .acceptedWrongly, "\(byID["oidc/code-replay"]?.line ?? "")")
        #expect(byID["oidc/code-replay"]?.signedInAs == "oidc-code-replay@app.test")
    }

    @Test func anAppFileWithoutAFixedPortOrWithTheWrongSectionIsRefusedByField() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("app-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func load(_ text: String) throws -> AppTargetFile {
            let url = directory.appendingPathComponent("app.yaml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return try AppTargetFile.load(url, displayName: "app.yaml")
        }
        let base = """
            name: x
            kind: saml
            app: {login: http://127.0.0.1:1/login, signedIn: {url: http://127.0.0.1:1/whoami, user: 'u=(.*)'}}
            saml: {entityID: https://x.example, acsURLs: [http://127.0.0.1:1/acs]}
            """
        #expect(try load(base + "\nidp: {listen: 127.0.0.1:18097}").port == 18097)
        #expect(throws: (any Error).self) { try load(base + "\nidp: {listen: 127.0.0.1:0}") }
        #expect(throws: (any Error).self) { try load(base.replacingOccurrences(of: "kind: saml", with: "kind: oidc") + "\nidp: {listen: 127.0.0.1:18097}") }
        #expect(throws: (any Error).self) { try load(base + "\nidp: {listen: 127.0.0.1:18097}\nsurprise: 1") }
        #expect(throws: (any Error).self) { try load(base.replacingOccurrences(of: "'u=(.*)'", with: "'u=(.*'") + "\nidp: {listen: 127.0.0.1:18097}") }
        // No group: the page could not say whom it signed in.
        #expect(throws: (any Error).self) { try load(base.replacingOccurrences(of: "'u=(.*)'", with: "'signed in'") + "\nidp: {listen: 127.0.0.1:18097}") }
    }
}
