public import Foundation
import StrictYAML

/// An allowlist of scenarios known to fail, each with why (`--expected-failures FILE`):
///
/// ```yaml
/// expectedFailures:
///   - scenario: saml/artifact-binding
///     reason: "the target has no Artifact binding (ticket IS-1234)"
///     failure: "step 2 (expect)"     # optional: text the failure must contain
/// ```
///
/// A listed scenario that fails is reported as expected and does not fail the run — when
/// the entry names the `failure`, only if it failed that way: a scenario that now fails
/// somewhere else (a setup error, another step) counts as failed, so a new fault does not
/// hide behind an old entry. An entry goes stale — and fails the run, naming it — when
/// its scenario passes (the bug was fixed: delete the entry so a regression is caught) or
/// no longer exists. That is what keeps an allowlist from silently growing into a list
/// of things nobody checks.
public struct ExpectedFailures: Sendable {
    public struct Entry: Decodable, Sendable {
        public let scenario: String
        public let reason: String
        /// Text the failure must contain (from the console line: a step and its error).
        public let failure: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case scenario, reason, failure }
    }

    private struct Document: Decodable {
        let expectedFailures: [Entry]
        enum CodingKeys: String, CodingKey, CaseIterable { case expectedFailures }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public init(contentsOf url: URL, displayName: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let document = try StrictYAML.decode(Document.self, from: text, file: displayName)
        var seen = Set<String>()
        for entry in document.expectedFailures {
            guard !entry.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ScenarioError.invalid("\(displayName): \(entry.scenario) needs a reason")
            }
            if let failure = entry.failure, failure.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ScenarioError.invalid("\(displayName): \(entry.scenario) has an empty failure: name the text its failure contains, or leave the key out")
            }
            guard seen.insert(entry.scenario).inserted else {
                throw ScenarioError.invalid("\(displayName): \(entry.scenario) is listed twice")
            }
        }
        entries = document.expectedFailures
    }

    /// The reason a scenario is expected to fail, if it is listed — and, when the entry
    /// names its failure, the outcome is a success (to be reported stale) or failed so.
    public func reason(for outcome: ScenarioOutcome) -> String? {
        guard let entry = entries.first(where: { $0.scenario == outcome.file.id }) else { return nil }
        if let failure = entry.failure, let text = outcome.verdict.failureText, !text.contains(failure) { return nil }
        return entry.reason
    }

    /// Entries that fail the run: listed scenarios that passed, and entries naming no
    /// scenario among `existing` (every scenario on disk, not only the selected ones: an
    /// entry for a scenario another shard runs is not stale).
    public func staleEntries(outcomes: [ScenarioOutcome], existing: Set<String>) -> [String] {
        var stale = [String]()
        for entry in entries {
            if !existing.contains(entry.scenario) {
                stale.append("\(entry.scenario): listed as an expected failure but there is no such scenario; remove the entry")
            } else if let outcome = outcomes.first(where: { $0.file.id == entry.scenario }), outcome.verdict.isSuccess {
                stale.append("\(entry.scenario): listed as an expected failure (\(entry.reason)) but it passes now; remove the entry")
            }
        }
        return stale
    }
}
