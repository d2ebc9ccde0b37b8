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
}
