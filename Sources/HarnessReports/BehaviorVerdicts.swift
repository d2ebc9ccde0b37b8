public import ScenarioKit

extension BehaviorVerdict {
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
