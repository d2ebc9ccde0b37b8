/// Plain-text lines for a terminal or a CI log.
public enum ConsoleReport {
    public static func line(_ outcome: ScenarioOutcome) -> String {
        let time = String(format: "%.2fs", outcome.seconds)
        let covers = outcome.file.scenario.covers.joined(separator: ", ")
        if let reason = outcome.expectedFailure {
            return outcome.verdict.isSuccess
                ? "✗ \(outcome.file.id)  passes, but is listed as an expected failure (\(reason)): remove the entry"
                : "⚠ \(outcome.file.id)  expected failure: \(reason)  \(time)"
        }
        switch outcome.verdict {
        case .notApplicable(let missing): return "– \(outcome.file.id)  not applicable: \(ScenarioVerdict.notApplicableReason(missing))"
        case .passed: return "✓ \(outcome.file.id)  [\(covers)]  \(time)"
        case .portableMatched: return "✓ \(outcome.file.id)  [\(covers)]  \(time)  (expectations and portable record; the reference transcript is compared only against a server reset between scenarios)"
        case .recorded: return "● \(outcome.file.id)  recorded \(outcome.file.vectorFile.lastPathComponent)  \(time)"
        case .missingVector: return "✗ \(outcome.file.id)  no vector: run `swift run harness record \(outcome.file.id)`"
        case .failed(let reason): return "✗ \(outcome.file.id)  \(reason)"
        case .mismatch(let mismatches):
            var text = "✗ \(outcome.file.id)  differs from \(outcome.file.vectorFile.lastPathComponent) (\(mismatches.count == 10 ? "10+" : String(mismatches.count)) differences)"
            if let first = mismatches.first { text += "\n    " + first.description }
            if mismatches.count > 1 {
                text += "\n    also at: " + mismatches.dropFirst().prefix(5).map(\.path).joined(separator: ", ")
            }
            return text
        }
    }

    public static func summary(_ outcomes: [ScenarioOutcome], mode: ScenarioSuite.Mode) -> String {
        let failed = outcomes.filter(\.failsRun)
        let expected = outcomes.filter { $0.status == .expectedFailure }.count
        let notApplicable = outcomes.filter { $0.status == .notApplicable }.count
        let verb = mode == .record ? "recorded" : "passed"
        let passed = outcomes.filter { $0.status == .passed || $0.status == .recorded }.count
        var text = "\(outcomes.count) scenarios: \(passed) \(verb), \(failed.count) failed"
        if expected > 0 { text += ", \(expected) expected failures" }
        if notApplicable > 0 { text += ", \(notApplicable) not applicable" }
        if !failed.isEmpty { text += "\nFailed: " + failed.map(\.file.id).joined(separator: " ") }
        return text
    }
}

import Foundation
