import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import OutboundHTTP
@testable import ScenarioKit
import Testing

/// `harness run --tls`: the same scenarios and vectors with every party on https, the
/// browser holding cookies to the rules browsers apply to https, and a certificate the
/// harness cannot verify named as such.
struct TLSRunTests {
    static func outcomes(_ ids: [String], tls: RunTLS, clientTrust: OutboundTrust) async throws -> [ScenarioOutcome] {
        let root = BundledSuiteTests.root
        let client = try HTTPClient.harness(trusting: clientTrust)
        let target = try EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server"), tls: tls)
        let suite = ScenarioSuite(runner: ScenarioRunner(root: root, target: target, client: client, tls: tls), jobs: 1)
        let files = try ScenarioFile.discover(ids.map { root.appendingPathComponent("Vectors/scenarios/\($0).yaml") }, root: root)
        let outcomes = await suite.run(files, mode: .verify)
        try await client.shutdown()
        return outcomes
    }

    @Test func scenariosOverTLSMatchTheVectorsOfThePlainRun() async throws {
        let tls = try RunTLS.make()
        let ids = [
            "oidc/code-flow-with-pkce", "auth/sso-across-service-providers", "federation/federated-saml-logout-both-ways",
            "saml/hostile-authn-requests-are-refused",
        ]
        let outcomes = try await Self.outcomes(ids, tls: tls, clientTrust: tls.trust)
        #expect(outcomes.count == ids.count)
        for outcome in outcomes {
            #expect(outcome.verdict.isSuccess, "\(ConsoleReport.line(outcome))")
            // Every party of the run — the server and each mock — was on https.
            let parties = outcome.run?.parties ?? [:]
            #expect(parties.count >= 2 && parties.values.allSatisfy { $0.hasPrefix("https://") }, "\(parties)")
        }
    }

    @Test func aBrowserThatDoesNotTrustTheRunsCAFailsTheScenarioNamingTheHost() async throws {
        let outcomes = try await Self.outcomes(["oidc/code-flow-with-pkce"], tls: try RunTLS.make(), clientTrust: .system)
        let outcome = try #require(outcomes.first)
        #expect(!outcome.verdict.isSuccess)
        let line = ConsoleReport.line(outcome)
        #expect(line.contains("tls.untrusted_peer") && line.contains("127.0.0.1: its certificate is not trusted"), "\(line)")
    }

    @Test func cookiesOverHTTPSAreRecordedAsAPlainRunRecordsThemWhenSecure() {
        let https = URLComponents(string: "https://127.0.0.1:9443/commonauth")!
        var jar = CookieJar()
        jar.schemeNeutral = true
        let now = Date()
        #expect(jar.store("__Host-ih_session=v; Path=/; Secure; HttpOnly; SameSite=Lax", from: https, now: now) == "ih_session [HttpOnly; Path=/; SameSite=Lax]")
        #expect(jar.header(for: https, method: "GET", crossSite: false, now: now).map(\.name) == ["__Host-ih_session"])
        #expect(jar.recordedName("__Host-ih_session") == "ih_session")
        // Forgetting Secure under TLS shows in the record, so it cannot match a vector.
        #expect(jar.store("ih_browser=v; Path=/; HttpOnly", from: https, now: now) == "ih_browser [HttpOnly; Path=/] (not Secure over https)")
        // A plain run records cookies as they are.
        var plain = CookieJar()
        #expect(plain.store("ih_session=v; Path=/; HttpOnly", from: URLComponents(string: "http://127.0.0.1/")!, now: now) == "ih_session [HttpOnly; Path=/]")
    }

    @Test(arguments: [
        ("a=1; Secure", "http://sp.example/", "Secure from a plain http origin"),
        ("__HOST-a=1; Path=/", "https://127.0.0.1/", "__Host- needs Secure, Path=/ and no Domain"),
        ("__Host-a=1; Secure", "https://127.0.0.1/", "__Host- needs Secure, Path=/ and no Domain"),
        ("__secure-a=1; Path=/", "https://127.0.0.1/", "__Secure- without Secure"),
        ("__Secure-a=1; Path=/", "https://127.0.0.1/", "__Secure- without Secure"),
        ("__Host-a=1; Secure; Path=/app", "https://127.0.0.1/", "__Host- needs Secure, Path=/ and no Domain"),
        ("__Host-a=1; Secure; Path=/; Domain=127.0.0.1", "https://127.0.0.1/", "__Host- needs Secure, Path=/ and no Domain"),
        ("__Host-a=1; Path=/", "https://127.0.0.1/", "__Host- needs Secure, Path=/ and no Domain"),
    ])
    func cookiesABrowserWouldRefuseAreRefused(_ header: String, _ origin: String, _ reason: String) {
        // (A loopback http origin is secure to a browser: `a=1; Secure` from
        // http://127.0.0.1 is kept, and only sent back there or over https.)
        var jar = CookieJar()
        let url = URLComponents(string: origin)!
        let summary = jar.store(header, from: url, now: Date())
        #expect(summary?.hasSuffix("(refused: \(reason))") == true, "\(summary ?? "nil")")
        #expect(jar.header(for: url, method: "GET", crossSite: false, now: Date()).isEmpty)
    }

    @Test func aLoopbackHTTPOriginIsSecureAsBrowsersTreatIt() {
        var jar = CookieJar()
        let loopback = URLComponents(string: "http://127.0.0.1:8080/")!
        #expect(jar.store("a=1; Secure; Path=/", from: loopback, now: Date()) == "a [Path=/; Secure]")
        #expect(jar.header(for: loopback, method: "GET", crossSite: false, now: Date()).map(\.name) == ["a"])
        #expect(jar.store("__Host-b=1; Secure; Path=/; Domain=", from: loopback, now: Date()) == "__Host-b [Domain=; Path=/; Secure]")
    }
}
