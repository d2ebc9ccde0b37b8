import AsyncHTTPClient
import Foundation
import HarnessReports
import HTTPServing
import IdentityCore
import ScenarioKit
import StrictYAML
import Testing

/// A target declares what its server implements; a scenario that needs anything else is
/// not applicable there: not run, and reported apart from skipped and failed.
@Suite struct CapabilityTests {
    static let root = BundledSuiteTests.root

    /// A server that implements only OpenID Connect; starting it for a scenario is a bug.
    struct OIDCOnly: ScenarioTarget {
        var capabilities: Set<Capability> { [.oidcOP] }
        func start(clock: FixedWallClock, seed: UInt64, settings: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
            Issue.record("a scenario that does not apply was started")
            throw ScenarioError.setup("not applicable")
        }
    }

    func files(_ ids: [String]) throws -> [ScenarioFile] {
        try ScenarioFile.discover(ids.map { Self.root.appendingPathComponent("Vectors/scenarios/\($0).yaml") }, root: Self.root)
    }

    @Test func aScenarioIsNotApplicableToATargetWithoutWhatItsPartiesAndRequiresNeed() async throws {
        let files = try files(["saml/idp-initiated-unregistered-acs-is-refused", "saml/unknown-issuer-is-refused"])
        #expect(files.map(\.id) == ["saml/idp-initiated-unregistered-acs-is-refused", "saml/unknown-issuer-is-refused"])
        #expect(files[0].requirements == [.samlIdP, Capability("idp-initiated")!])
        #expect(files[1].requirements == [.samlIdP])
        let suite = ScenarioSuite(runner: ScenarioRunner(root: Self.root, target: OIDCOnly(), client: HTTPClient.shared), jobs: 1)
        let outcomes = await suite.run(files, mode: .verify)
        #expect(outcomes.map(\.status) == [.notApplicable, .notApplicable])
        #expect(ConsoleReport.line(outcomes[0]).contains("not applicable: the target does not implement idp-initiated, saml-idp"))
        #expect(ConsoleReport.summary(outcomes, mode: .verify).contains("2 not applicable"))
        #expect(outcomes.filter(\.failsRun).isEmpty)

        let coverage = Coverage(outcomes)
        #expect(coverage.notApplicable == ["SA-1", "SA-4"])
        let reports = outcomes.map(ScenarioReport.init)
        #expect(JUnitReport.xml(reports).contains("<skipped message=\"not applicable: the target does not implement saml-idp\"/>"))
        let html = HTMLReport.page(reports, catalogue: nil, title: "t")
        #expect(html.contains("<td class=\"verdict\">not applicable</td>"))
        #expect(html.contains("class=\"scenario not-applicable\""))
    }

    @Test func theReferenceServerAndATargetFileWithoutCapabilitiesImplementEverything() throws {
        let file = try ConformanceModeTests.targetFile("""
            frontChannel: http://127.0.0.1:1
            backChannel: http://127.0.0.1:1
            adapter: identity-harness-admin
            admin: {username: a, password: b}
            """)
        // Everything the server may implement; of the harness's control over it, only what
        // a server without test control gives (its admin API and its URLs).
        #expect(ConformanceTarget(file: file, client: HTTPClient.shared).capabilities
            == Capability.all.subtracting([.clockControl, .serverSettings, .serverInternals]))
        let declared = try ConformanceModeTests.targetFile("""
            frontChannel: http://127.0.0.1:1
            backChannel: http://127.0.0.1:1
            adapter: identity-harness-admin
            admin: {username: a, password: b}
            capabilities: [saml-idp, consent-prompt]
            """)
        #expect(ConformanceTarget(file: declared, client: HTTPClient.shared).capabilities
            == [.samlIdP, Capability("consent-prompt")!, .referenceAdminAPI, .referenceURLs])
    }

    @Test func eachBehaviourItemHasOneVerdictFromItsScenarios() {
        #expect(BehaviorVerdict([.passed, .notApplicable]) == .passing)
        #expect(BehaviorVerdict([.passed, .failed]) == .someFailing)
        #expect(BehaviorVerdict([.expectedFailure, .unexpectedPass]) == .failing)
        #expect(BehaviorVerdict([.expectedFailure, .notApplicable]) == .expectedFailure)
        #expect(BehaviorVerdict([.notApplicable, .notApplicable]) == .notApplicable)
        #expect(BehaviorVerdict([]) == .notCovered)
    }

    @Test func theConsoleCoverageGivesTheReportsVerdictPerItem() throws {
        let files = try files(["saml/idp-initiated-unregistered-acs-is-refused", "saml/unknown-issuer-is-refused"])
        // SA-4 only by an expected failure; SA-1 by one failing scenario.
        var expected = ScenarioOutcome(file: files[0], verdict: .failed("step 2"), seconds: 0)
        expected.expectedFailure = "a known difference"
        let failing = ScenarioOutcome(file: files[1], verdict: .failed("step 3"), seconds: 0)
        let coverage = Coverage([expected, failing])
        #expect(coverage.verdicts["SA-4"] == .expectedFailure)
        #expect(coverage.verdicts["SA-1"] == .failing)
        let catalogue = BehaviorCatalogue(markdown: "- **SA-1** Malformed requests are refused.\n- **SA-4** IdP-initiated SSO.\n- **SA-9** Other.\n")
        #expect(coverage.summary(against: catalogue) == """
            Coverage: 0 of 3 BEHAVIOR IDs covered by passing scenarios.
              covered but failing: SA-1
              expected failures:   SA-4
              not yet covered:     SA-9
            """)
    }

    @Test func theConformanceViewIsInJUnitAndJSONPerItem() async throws {
        let files = try files(["saml/unknown-issuer-is-refused"])
        let suite = ScenarioSuite(runner: ScenarioRunner(root: Self.root, target: OIDCOnly(), client: HTTPClient.shared), jobs: 1)
        let reports = await suite.run(files, mode: .verify).map(ScenarioReport.init)
        let catalogue = BehaviorCatalogue(markdown: "- **SA-1** Malformed requests are refused.\n- **SA-10** Single logout.\n")
        let junit = JUnitReport.xml(reports, catalogue: catalogue)
        #expect(junit.contains("<testsuite name=\"BEHAVIOR\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"2\""))
        #expect(junit.contains("<testsuites name=\"identity-harness\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"3\""))
        #expect(junit.contains("<skipped message=\"not applicable: saml/unknown-issuer-is-refused: not applicable"))
        #expect(junit.contains("<skipped message=\"not covered\"/>"))
        let json = JSONReport.json(reports, catalogue: catalogue)
        #expect(json["behaviour"] == .object(["SA-1": .string("not applicable"), "SA-10": .string("not covered")]))
    }

    @Test func anUnknownCapabilityIsRefusedWithTheKnownOnesListed() {
        do {
            _ = try StrictYAML.decode(
                Scenario.self, from: "name: n\ncovers: [SA-4]\nrequires: [idp-initiated, idp-inititated]\nsteps: []\n", file: "s.yaml")
            Issue.record("a misspelt capability was accepted")
        } catch {
            #expect(error.code == .configInvalidValue)
            #expect(error.line == 3)
            #expect(error.detail.contains("unknown capability 'idp-inititated'"))
            #expect(error.detail.contains("request-signature-validation"))
        }
    }
}
