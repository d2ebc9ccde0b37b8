import AsyncHTTPClient
import EmbeddedTarget
import Foundation
@testable import HarnessReports
import ScenarioKit
import SAML
import Testing
import TestSupport

/// The reports, from real runs: a passing federated scenario (browser and back channel)
/// and one whose vector was changed so it fails.
@Suite(.serialized) struct ReportTests {
    static func outcomes() async throws -> [ScenarioOutcome] {
        try await BundledSuiteTests.withSuite { suite, files in
            let passing = try #require(files.first { $0.id == "federation/google-silent-jit-saml-sp" })
            let original = try #require(files.first { $0.id == "saml/nameid-format-persistent" })
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let copy = directory.appendingPathComponent("changed.yaml")
            try FileManager.default.copyItem(at: original.file, to: copy)
            try String(contentsOf: original.vectorFile, encoding: .utf8).replacingOccurrences(of: "\"nameID\": \"alice\"", with: "\"nameID\": \"mallory\"")
                .write(to: directory.appendingPathComponent("changed.vector.json"), atomically: true, encoding: .utf8)
            let failing = try ScenarioFile.discover([copy], root: BundledSuiteTests.root)
            return await suite.run([passing] + failing, mode: .verify)
        }
    }

    @Test func theDiagramHasTheBrowserHopsAndTheServersBackChannelCallsToTheIdP() async throws {
        let report = ScenarioReport(try await Self.outcomes()[0])
        #expect(report.lanes.prefix(3) == ["browser", "sp", "server"])
        #expect(report.lanes.contains("idp"))
        let front = report.events.filter(\.frontChannel)
        #expect(front.contains { $0.from == "browser" && $0.to == "server" && $0.target.hasPrefix("/samlsso?SAMLRequest=") && $0.status == 302 })
        #expect(front.contains { $0.to == "sp" && $0.method == "POST" && $0.target == "/acs" })
        // The server redeems the Google code on the back channel during a browser step.
        let token = try #require(report.events.first { !$0.frontChannel && $0.from == "server" && $0.to == "idp" && $0.method == "POST" })
        #expect(token.step >= 1)
        #expect(token.parts.contains { $0.title == "form fields" && $0.body.contains("grant_type = authorization_code") })
        #expect(token.parts.contains { $0.title.hasPrefix("response id_token (JWT)") && $0.body.contains("\"iss\"") })
        // The AuthnRequest is decoded where the SP's redirect issues it.
        let request = try #require(front.first { $0.to == "sp" && $0.target.hasPrefix("/login") })
        #expect(request.parts.contains { $0.title.contains("SAMLRequest") && $0.body.contains("<samlp:AuthnRequest") })
        #expect(report.pages.contains { $0.kind == "sp-result" })
    }

    @Test func secretsNeverReachAReport() async throws {
        let outcomes = try await Self.outcomes()
        let html = HTMLReport.page(outcomes.map(ScenarioReport.init), catalogue: nil, title: "t")
        #expect(!html.contains("alice-password"))
        let parts = MessageDecoder.parts(query: nil, form: [("username", "alice"), ("password", "s3cret!")], body: nil, contentType: nil)
        #expect(parts.first?.body == "username = alice\npassword = (redacted)")
        let json = MessageDecoder.parts(query: nil, form: nil, body: #"{"client_secret":"abc","client_id":"x"}"#, contentType: "application/json")
        #expect(json.first?.body.contains("abc") == false)
    }

    @Test func aFailedScenarioShowsItsDifferencesInEveryReport() async throws {
        let reports = try await Self.outcomes().map(ScenarioReport.init)
        let failed = reports[1]
        #expect(failed.status == .failed)
        #expect(failed.differences.contains { $0.expected == "\"mallory\"" && $0.actual == "\"alice\"" })
        let junit = JUnitReport.xml(reports)
        #expect(junit.contains("tests=\"2\" failures=\"1\""))
        #expect(junit.contains("<failure message=\"differs from changed.vector.json"))
        #expect(junit.contains("expected: &quot;mallory&quot;") || junit.contains("expected: \"mallory\""))
        let json = JSONReport.json(reports, catalogue: nil)
        #expect(json["counts"]?["failed"] == .int(1))
        #expect(json["counts"]?["passed"] == .int(1))
        let html = HTMLReport.page(reports, catalogue: nil, title: "t")
        #expect(html.contains("<details class=\"scenario failed\""))
        #expect(html.contains("mallory"))
    }

    @Test func junitEscapesWhatXMLCannotCarry() {
        #expect(JUnitReport.attribute("a<b & \"c\"\n\u{1}") == "a&lt;b &amp; &quot;c&quot;&#10;")
    }

    @Test func samlRedirectMessagesAreInflatedAndIndented() throws {
        let xml = "<samlp:AuthnRequest ID=\"_1\"><saml:Issuer>sp</saml:Issuer></samlp:AuthnRequest>"
        let encoded = Data(Deflate.compress(Array(xml.utf8))).base64EncodedString()
        let part = try #require(MessageDecoder.saml(encoded, title: "SAMLRequest", inflate: true))
        #expect(part.body == "<samlp:AuthnRequest ID=\"_1\">\n  <saml:Issuer>sp</saml:Issuer>\n</samlp:AuthnRequest>")
    }
}

/// The HTML report in a real browser: headless Chromium opens it from disk, runs its
/// script, and draws every arrow with no script error; a screenshot is not empty.
@Suite(.serialized) struct HTMLReportInChromiumTests {
    @Test func chromiumIsInstalledWhereCIRuns() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Chromium.path != nil, "CI must install chromium (.ci/run does: apt-get install chromium)")
        }
    }

    @Test(.enabled(if: Chromium.path != nil, "needs chromium: apt-get install chromium"))
    func theReportRendersItsDiagramsWithoutScriptErrors() async throws {
        let reports = try await ReportTests.outcomes().map(ScenarioReport.init)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-html-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try HTMLReport.write(reports, catalogue: BehaviorCatalogue.locate(root: BundledSuiteTests.root), title: "report", to: directory)
        let page = directory.appendingPathComponent("index.html")
        let flags = Chromium.flags(profile: directory.appendingPathComponent("profile"))

        let dom = try await Chromium.run(flags + ["--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString])
        let arrows = reports.map(\.events.count).reduce(0, +)
        #expect(arrows > 20)
        #expect(dom.stdout.contains("data-report-status=\"ok\" data-hops=\"\(arrows)\""), "body: \(dom.stdout.prefix(300))")
        let consoleLines = dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleLines.isEmpty, "console: \(consoleLines)")

        let screenshot = directory.appendingPathComponent("shot.png")
        _ = try await Chromium.run(flags + ["--hide-scrollbars", "--window-size=1200,900", "--screenshot=\(screenshot.path)", page.absoluteString])
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a blank page compresses to a few KB")
    }
}
