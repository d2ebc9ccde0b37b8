import ArgumentParser
import Foundation
import HarnessReports
import ScenarioKit

/// `--report junit=PATH`, `--report json=PATH`, `--report html=DIR` (repeatable).
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("report"), help: "Write a report: junit=PATH, json=PATH or html=DIR (repeat for several).")
    var reports: [String] = []

    enum Kind: String, CaseIterable { case junit, json, html }

    func parsed() throws -> [(Kind, URL)] {
        try reports.map { text in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = Kind(rawValue: parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--report takes junit=PATH, json=PATH or html=DIR, not '\(text)'")
            }
            return (kind, URL(fileURLWithPath: parts[1]))
        }
    }

    func write(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?, title: String) throws {
        let requested = try parsed()
        for (kind, url) in requested {
            switch kind {
            case .junit:
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try JUnitReport.xml(reports, catalogue: catalogue).write(to: url, atomically: true, encoding: .utf8)
            case .json:
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try JSONReport.json(reports, catalogue: catalogue).pretty().write(to: url, atomically: true, encoding: .utf8)
            case .html:
                try HTMLReport.write(reports, catalogue: catalogue, title: title, to: url)
            }
            print("report: \(kind.rawValue) → \(kind == .html ? url.appendingPathComponent("index.html").path : url.path)")
        }
    }
}
