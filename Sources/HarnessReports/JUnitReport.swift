import Foundation
public import ScenarioKit

/// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): a
/// `<testsuite>` per scenario area (`saml`, `oidc`, …), a `<testcase>` per scenario; a
/// failure carries the reason and the differences; an expected failure and a
/// not-applicable scenario are `<skipped>` with the reason, since they do not fail the run.
/// With the BEHAVIOR catalogue, a `BEHAVIOR` suite has a `<testcase>` per item, its verdict
/// from the scenarios that cover it (``BehaviorVerdict``): the conformance view.
public enum JUnitReport {
    public static func xml(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue? = nil) -> String {
        let areas = Dictionary(grouping: reports) { report in String(report.id.split(separator: "/").first ?? "scenarios") }
        var failures = reports.filter { $0.status == .failed || $0.status == .unexpectedPass }.count
        var skipped = reports.filter { [.expectedFailure, .notApplicable].contains($0.status) }.count
        var tests = reports.count
        // The totals count the BEHAVIOR suite's items too, so they agree with the suites.
        let items = catalogue.map { BehaviorVerdict.items(reports, catalogue: $0) } ?? []
        let itemCounts = counts(items)
        tests += items.count
        failures += itemCounts.failures
        skipped += itemCounts.skipped
        let time = reports.map(\.seconds).reduce(0, +)
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="identity-harness" tests="\(tests)" failures="\(failures)" errors="0" skipped="\(skipped)" time="\(seconds(time))">

            """
        for area in areas.keys.sorted() {
            let cases = areas[area]!
            let areaFailures = cases.filter { $0.status == .failed || $0.status == .unexpectedPass }.count
            let areaSkipped = cases.filter { [.expectedFailure, .notApplicable].contains($0.status) }.count
            xml += "  <testsuite name=\"\(attribute(area))\" tests=\"\(cases.count)\" failures=\"\(areaFailures)\" errors=\"0\" "
            xml += "skipped=\"\(areaSkipped)\" time=\"\(seconds(cases.map(\.seconds).reduce(0, +)))\">\n"
            for report in cases {
                xml += "    <testcase classname=\"\(attribute(area))\" name=\"\(attribute(report.id))\" time=\"\(seconds(report.seconds))\">"
                switch report.status {
                case .passed, .recorded:
                    break
                case .failed, .unexpectedPass:
                    var detail = report.message ?? "failed"
                    for difference in report.differences {
                        detail += "\nat \(difference.path)\n  expected: \(difference.expected)\n  actual:   \(difference.actual)"
                    }
                    xml += "\n      <failure message=\"\(attribute(report.message ?? "failed"))\" type=\"\(report.status == .failed ? "VectorMismatch" : "StaleExpectedFailure")\">"
                    xml += "\(text(detail))</failure>\n    "
                case .expectedFailure, .notApplicable:
                    xml += "\n      <skipped message=\"\(attribute(report.message ?? report.status.rawValue))\"/>\n    "
                }
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        if catalogue != nil { xml += behaviourSuite(items, counts: itemCounts) }
        return xml + "</testsuites>\n"
    }

    /// Failing items, and items neither passing nor failing (`<skipped>`).
    static func counts(_ rows: [BehaviorVerdict.Item]) -> (failures: Int, skipped: Int) {
        let failures = rows.filter(\.verdict.isFailure).count
        return (failures, rows.filter { $0.verdict != .passing }.count - failures)
    }

    static func behaviourSuite(_ rows: [BehaviorVerdict.Item], counts: (failures: Int, skipped: Int)) -> String {
        var xml = "  <testsuite name=\"BEHAVIOR\" tests=\"\(rows.count)\" failures=\"\(counts.failures)\" errors=\"0\" skipped=\"\(counts.skipped)\" time=\"0.000\">\n"
        for row in rows {
            let scenarios = row.scenarios.map { "\($0.id): \($0.status.rawValue)" + ($0.message.map { " (\($0))" } ?? "") }.joined(separator: "\n")
            xml += "    <testcase classname=\"BEHAVIOR\" name=\"\(attribute(row.id + " " + row.text.prefix(100)))\" time=\"0.000\">"
            switch row.verdict {
            case .passing: break
            case .failing, .someFailing:
                xml += "\n      <failure message=\"\(row.verdict.rawValue)\" type=\"BehaviorFailing\">\(text(scenarios))</failure>\n    "
            default:
                xml += "\n      <skipped message=\"\(attribute(row.verdict.rawValue + (scenarios.isEmpty ? "" : ": " + scenarios)))\"/>\n    "
            }
            xml += "</testcase>\n"
        }
        return xml + "  </testsuite>\n"
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// XML 1.0 cannot carry most control characters even escaped: they are dropped.
    static func text(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }))
            .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func attribute(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
    }
}

/// One JSON object per scenario (`--report json=PATH`): what a script or dashboard needs
/// without parsing text.
public enum JSONReport {
    public static func json(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?) -> JSONValue {
        let scenarios: [JSONValue] = reports.map { report in
            var object: [String: JSONValue] = [
                "id": .string(report.id), "name": .string(report.name), "status": .string(report.status.rawValue),
                "covers": .array(report.covers.map(JSONValue.string)), "tags": .array(report.tags.map(JSONValue.string)),
                "seconds": .double((report.seconds * 1000).rounded() / 1000),
                "exchanges": .int(report.events.count),
            ]
            if let message = report.message { object["message"] = .string(message) }
            if let verdict = report.verdict { object["verdict"] = .string(verdict) }
            if let who = report.signedInAs { object["signedInAs"] = .string(who) }
            if !report.differences.isEmpty {
                object["differences"] = .array(report.differences.map {
                    .object(["path": .string($0.path), "expected": .string($0.expected), "actual": .string($0.actual)])
                })
            }
            return .object(object)
        }
        var tally = [String: Int]()
        for report in reports { tally[report.status.rawValue, default: 0] += 1 }
        let counts = tally.mapValues(JSONValue.int)
        var coverage = [String: JSONValue]()
        for report in reports {
            for id in report.covers {
                var entry = coverage[id]?.arrayValue ?? []
                entry.append(.object(["scenario": .string(report.id), "status": .string(report.status.rawValue)]))
                coverage[id] = .array(entry)
            }
        }
        for id in catalogue?.ids ?? [] where coverage[id] == nil { coverage[id] = .array([]) }
        // The conformance view: one verdict per BEHAVIOR item.
        let behaviour = Dictionary(
            BehaviorVerdict.items(reports, catalogue: catalogue).map { ($0.id, JSONValue.string($0.verdict.rawValue)) }, uniquingKeysWith: { $1 })
        return .object([
            "scenarios": .array(scenarios), "counts": .object(counts), "coverage": .object(coverage), "behaviour": .object(behaviour),
        ])
    }
}
