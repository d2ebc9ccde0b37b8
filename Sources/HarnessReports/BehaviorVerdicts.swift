public import ScenarioKit

/// The conformance view of a run: one verdict per BEHAVIOR item, from the scenarios that
/// cover it. The same in every report (HTML matrix, JSON `behaviour`, JUnit `BEHAVIOR`
/// suite), so a team reads the same answer about its server wherever it looks.
public enum BehaviorVerdict: String, Sendable, CaseIterable {
    case passing
    /// Some scenarios pass and some fail.
    case someFailing = "some failing"
    case failing
    /// Only expected failures: a known, explained difference of the target (a finding).
    case expectedFailure = "expected failure"
    /// Every covering scenario needs something the target does not implement.
    case notApplicable = "not applicable"
    case notCovered = "not covered"

    /// A failure anywhere decides, then a pass; then expected failures; an item whose
    /// scenarios all do not apply to the target is not applicable. (Every other status —
    /// recorded, expected failure, not applicable — is one of those.)
    public init(_ statuses: [ScenarioOutcome.Status]) {
        let passed = statuses.contains { [.passed, .recorded].contains($0) }
        let failed = statuses.contains { [.failed, .unexpectedPass].contains($0) }
        if statuses.isEmpty {
            self = .notCovered
        } else if failed {
            self = passed ? .someFailing : .failing
        } else if passed {
            self = .passing
        } else if statuses.contains(.expectedFailure) {
            self = .expectedFailure
        } else {
            self = .notApplicable
        }
    }

    public var isFailure: Bool { self == .failing || self == .someFailing }

    var cssClass: String {
        switch self {
        case .passing: "passed"
        case .someFailing: "partial"
        case .failing: "failed"
        case .expectedFailure: "expected-failure"
        case .notApplicable: "not-applicable"
        case .notCovered: "uncovered"
        }
    }

    /// One BEHAVIOR item with its verdict and the reports of the scenarios behind it.
    public typealias Item = (id: String, text: String, verdict: BehaviorVerdict, scenarios: [ScenarioReport])

    /// Per item, in catalogue order (then IDs the catalogue lacks): its text, verdict and
    /// the reports of the scenarios that cover it.
    public static func items(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?) -> [Item] {
        var byID = [String: [ScenarioReport]]()
        for report in reports { for id in report.covers { byID[id, default: []].append(report) } }
        var rows = catalogue?.items.map { ($0.id, $0.text) } ?? []
        let known = Set(rows.map(\.0))
        rows += byID.keys.filter { !known.contains($0) }.sorted().map { ($0, catalogue == nil ? "" : "(not in BEHAVIOR.md)") }
        return rows.map { id, text in
            let scenarios = byID[id] ?? []
            return (id, text, BehaviorVerdict(scenarios.map(\.status)), scenarios)
        }
    }
}
