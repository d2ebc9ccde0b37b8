import Foundation
import ScenarioKit
import Testing

@Suite struct ScenarioSelectionTests {
    static let files = try! ScenarioFile.discover(
        [BundledSuiteTests.root.appendingPathComponent("Vectors/scenarios")], root: BundledSuiteTests.root)

    @Test func twoShardsTogetherRunEveryScenarioExactlyOnce() throws {
        let first = try ScenarioSelection(shard: .init(parsing: "1/2")).apply(to: Self.files).map(\.id)
        let second = try ScenarioSelection(shard: .init(parsing: "2/2")).apply(to: Self.files).map(\.id)
        #expect(Set(first).isDisjoint(with: second))
        #expect((first + second).sorted() == Self.files.map(\.id).sorted())
        #expect(abs(first.count - second.count) <= 1)
    }

    @Test func shardsAreTheSameWhateverOrderTheFilesCameIn() throws {
        let shard = try ScenarioSelection.Shard(parsing: "2/3")
        #expect(ScenarioSelection(shard: shard).apply(to: Self.files.reversed()).map(\.id) == ScenarioSelection(shard: shard).apply(to: Self.files).map(\.id))
    }

    @Test(arguments: ["0/2", "3/2", "1", "a/b", "1/0", "/2"])
    func malformedShardsAreRefused(_ text: String) {
        #expect(throws: ScenarioError.self) { try ScenarioSelection.Shard(parsing: text) }
    }

    @Test func filterAndTagsNarrowTheSelection() {
        let saml = ScenarioSelection(filter: "saml/*").apply(to: Self.files)
        #expect(!saml.isEmpty && saml.allSatisfy { $0.id.hasPrefix("saml/") })
        let tagged = ScenarioSelection(tags: ["jit"]).apply(to: Self.files)
        #expect(!tagged.isEmpty && tagged.allSatisfy { $0.scenario.tags.contains("jit") })
        #expect(ScenarioSelection(filter: "saml/*", tags: ["jit"]).apply(to: Self.files).isEmpty)
    }
}

@Suite struct ExpectedFailuresTests {
    static func allowlist(_ yaml: String) throws -> ExpectedFailures {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ih-allow-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try ExpectedFailures(contentsOf: url, displayName: "allow.yaml")
    }

    static let file = ScenarioSelectionTests.files.first { $0.id == "saml/nameid-format-persistent" }!

    static func listed(_ outcome: ScenarioOutcome, by list: ExpectedFailures) -> ScenarioOutcome {
        var outcome = outcome
        outcome.expectedFailure = list.reason(for: outcome)
        return outcome
    }

    @Test func anEntryThatNamesItsFailureCoversOnlyThatFailure() throws {
        let list = try Self.allowlist(
            "expectedFailures:\n  - scenario: saml/nameid-format-persistent\n    reason: IS-1234\n    failure: \"step 2 (expect)\"\n")
        let known = Self.listed(ScenarioOutcome(file: Self.file, verdict: .failed("expectation failed: step 2 (expect): no"), seconds: 0), by: list)
        #expect(known.status == .expectedFailure)
        // Failing elsewhere (a setup error) is a new fault, not the listed one.
        let other = Self.listed(ScenarioOutcome(file: Self.file, verdict: .failed("setup: already has a user alice"), seconds: 0), by: list)
        #expect(other.status == .failed)
        #expect(other.failsRun)
        // And passing still makes the entry stale.
        let passing = Self.listed(ScenarioOutcome(file: Self.file, verdict: .passed, seconds: 0), by: list)
        #expect(passing.status == .unexpectedPass)
    }

    @Test func aListedFailureIsExpectedAndDoesNotFailTheRun() throws {
        let list = try Self.allowlist("expectedFailures:\n  - scenario: saml/nameid-format-persistent\n    reason: IS-1234\n")
        let outcome = Self.listed(ScenarioOutcome(file: Self.file, verdict: .failed("boom"), seconds: 0), by: list)
        #expect(outcome.status == .expectedFailure)
        #expect(!outcome.failsRun)
        #expect(list.staleEntries(outcomes: [outcome], existing: [Self.file.id]).isEmpty)
    }

    @Test func aListedScenarioThatPassesIsAStaleEntryThatFailsTheRun() throws {
        let list = try Self.allowlist("expectedFailures:\n  - scenario: saml/nameid-format-persistent\n    reason: IS-1234\n")
        let outcome = Self.listed(ScenarioOutcome(file: Self.file, verdict: .passed, seconds: 0), by: list)
        #expect(outcome.failsRun)
        let stale = list.staleEntries(outcomes: [outcome], existing: [Self.file.id])
        #expect(stale.count == 1)
        #expect(stale.first?.contains("saml/nameid-format-persistent") == true)
        #expect(stale.first?.contains("passes now") == true)
    }

    @Test func anEntryForAScenarioThatNoLongerExistsIsStale() throws {
        let list = try Self.allowlist("expectedFailures:\n  - scenario: saml/gone\n    reason: removed\n")
        let stale = list.staleEntries(outcomes: [], existing: [Self.file.id])
        #expect(stale == ["saml/gone: listed as an expected failure but there is no such scenario; remove the entry"])
    }

    @Test func anEntryForAScenarioAnotherShardRunsIsNotStale() throws {
        let list = try Self.allowlist("expectedFailures:\n  - scenario: saml/nameid-format-persistent\n    reason: IS-1234\n")
        #expect(list.staleEntries(outcomes: [], existing: [Self.file.id]).isEmpty)
    }

    @Test(arguments: [
        "expectedFailures:\n  - scenario: a\n",  // no reason
        "expectedFailures:\n  - scenario: a\n    reason: x\n    ticket: 1\n",  // unknown field
        "expectedFailures:\n  - scenario: a\n    reason: x\n  - scenario: a\n    reason: y\n",  // listed twice
        "expectedFailures:\n  - scenario: a\n    reason: x\n    failure: \" \"\n",  // a failure that matches anything
        "expected: []\n",
    ])
    func malformedAllowlistsAreRefused(_ yaml: String) {
        #expect(throws: (any Error).self) { try Self.allowlist(yaml) }
    }
}

@Suite struct BehaviorCatalogueTests {
    @Test func theCatalogueACloneCarriesHasEveryItemWithItsText() throws {
        let text = try String(contentsOf: BundledSuiteTests.root.appendingPathComponent("docs/BEHAVIOR.md"), encoding: .utf8)
        let catalogue = BehaviorCatalogue(markdown: text)
        #expect(catalogue.ids.count >= 50)
        #expect(catalogue.items.first { $0.id == "SA-3" }?.text.contains("ACS") == true)
    }

    /// Where the shared contract sits beside the repository, the copy must not drift from it.
    @Test func theCopyMatchesTheSharedContractWhereItExists() throws {
        let shared = BundledSuiteTests.root.deletingLastPathComponent().appendingPathComponent("shared/BEHAVIOR.md")
        guard let original = try? String(contentsOf: shared, encoding: .utf8) else { return }
        let copy = try String(contentsOf: BundledSuiteTests.root.appendingPathComponent("docs/BEHAVIOR.md"), encoding: .utf8)
        #expect(copy == original, "docs/BEHAVIOR.md differs from ../shared/BEHAVIOR.md: copy it again")
    }
}
