public import Foundation
public import ScenarioKit

/// A self-contained HTML report (`--report html=DIR` writes `DIR/index.html`): no network,
/// inline CSS and script only, so it opens from a CI artifact as it is. Per scenario a
/// sequence diagram of every HTTP hop (click an arrow for its decoded SAML/OIDC message),
/// the pages shown, and the differences when it failed; at the top a coverage matrix of
/// the BEHAVIOR IDs.
public enum HTMLReport {
    public static func write(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?, title: String, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try page(reports, catalogue: catalogue, title: title).write(to: directory.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    }

    public static func page(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?, title: String) -> String {
        var counts = [ScenarioOutcome.Status: Int]()
        for report in reports { counts[report.status, default: 0] += 1 }
        let summary = [ScenarioOutcome.Status.passed, .recorded, .failed, .expectedFailure, .unexpectedPass, .notApplicable]
            .compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }.joined(separator: ", ")
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title.htmlEscaped)</title><style>\(HTMLReportAssets.css)</style></head>
            <body data-report-status="loading">
            \(SequenceDiagram.definitions)
            <header><h1>\(title.htmlEscaped)</h1><p class="summary">\(reports.count) scenarios: \(summary.htmlEscaped)</p>
            <nav class="filters"><button data-filter="all" class="on">all</button><button data-filter="failed">failed</button>\
            <button data-filter="passed">passed</button><button data-filter="expected-failure">expected failures</button>\
            <button data-filter="not-applicable">not applicable</button><input type="search" id="search" placeholder="filter by name or ID" aria-label="filter scenarios"></nav>
            </header>
            <main>
            """
        html += coverage(reports, catalogue: catalogue)
        html += "<section id=\"scenarios\"><h2>Scenarios</h2>\n"
        for (index, report) in reports.enumerated() {
            html += scenario(report, index: index)
        }
        html += "</section></main><script>\(HTMLReportAssets.script)</script></body></html>\n"
        return html
    }

    static func anchor(_ id: String) -> String {
        "s-" + id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    static func statusClass(_ status: ScenarioOutcome.Status) -> String {
        switch status {
        case .passed, .recorded: "passed"
        case .failed, .unexpectedPass: "failed"
        case .expectedFailure: "expected-failure"
        case .notApplicable: "not-applicable"
        }
    }

    static func mark(_ status: ScenarioOutcome.Status) -> String {
        switch status {
        case .passed, .recorded: "✓"
        case .failed, .unexpectedPass: "✗"
        case .expectedFailure: "⚠"
        case .notApplicable: "–"
        }
    }

    /// The BEHAVIOR IDs in catalogue order (then any the catalogue lacks): each item's
    /// verdict (``BehaviorVerdict``) and the scenarios that decide it.
    static func coverage(_ reports: [ScenarioReport], catalogue: BehaviorCatalogue?) -> String {
        let rows = BehaviorVerdict.items(reports, catalogue: catalogue)
        // Nothing to cover (an application's cases name no BEHAVIOR items): no section.
        guard !rows.isEmpty else { return "" }
        let passing = rows.filter { $0.scenarios.contains { [.passed, .recorded].contains($0.status) } }.count
        var html = """
            <section id="coverage"><h2>Coverage</h2><p>\(passing) of \(rows.count) behaviour items covered by a passing scenario.</p>
            <table class="coverage"><thead><tr><th>ID</th><th>Behaviour</th><th>Verdict</th><th>Scenarios</th></tr></thead><tbody>

            """
        for row in rows {
            let links = row.scenarios.map { report in
                "<a class=\"\(statusClass(report.status))\" href=\"#\(anchor(report.id))\">\(mark(report.status)) \(report.id.htmlEscaped)</a>"
            }.joined(separator: " ")
            html += "<tr class=\"\(row.verdict.cssClass)\"><td class=\"id\">\(row.id.htmlEscaped)</td><td title=\"\(row.text.htmlEscaped)\">\(row.text.truncated(140).htmlEscaped)</td>"
            html += "<td class=\"verdict\">\(row.verdict.rawValue)</td><td>\(links)</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    static func scenario(_ report: ScenarioReport, index: Int) -> String {
        let status = statusClass(report.status)
        var html = """
            <details class="scenario \(status)" id="\(anchor(report.id))" data-search="\((report.id + " " + report.name).lowercased().htmlEscaped)"\(status == "failed" ? " open" : "")>
            <summary><span class="mark">\(mark(report.status))</span> <code>\(report.id.htmlEscaped)</code> \(report.name.htmlEscaped) \
            <span class="covers">\(report.covers.joined(separator: " ").htmlEscaped)</span> \
            <span class="time">\(String(format: "%.2f s", report.seconds))</span> <span class="status">\(report.status.rawValue)</span></summary>

            """
        if let message = report.message { html += "<p class=\"message\">\(message.htmlEscaped)</p>\n" }
        if !report.differences.isEmpty {
            html += "<table class=\"diff\"><thead><tr><th>where</th><th>expected (vector)</th><th>actual (this run)</th></tr></thead><tbody>"
            for difference in report.differences {
                html += "<tr><td><code>\(difference.path.htmlEscaped)</code></td><td><pre>\(difference.expected.htmlEscaped)</pre></td>"
                html += "<td><pre>\(difference.actual.htmlEscaped)</pre></td></tr>"
            }
            html += "</tbody></table>\n"
        }
        if !report.events.isEmpty {
            html += "<div class=\"diagram\">\(SequenceDiagram.svg(report, scenarioIndex: index))</div>\n"
            html += "<div class=\"panel\" id=\"panel-\(index)\" hidden></div>\n"
        }
        if !report.pages.isEmpty {
            html += "<h4>Pages shown</h4><ol class=\"pages\">"
            for (pageIndex, page) in report.pages.enumerated() {
                html += "<li><button data-scenario=\"\(index)\" data-page=\"\(pageIndex)\">step \(page.step): \((page.kind ?? "page").htmlEscaped) "
                html += "(\(page.status))</button> <code>\(page.url.truncated(120).htmlEscaped)</code></li>"
            }
            html += "</ol><iframe class=\"page-view\" id=\"page-\(index)\" sandbox title=\"page shown\" hidden></iframe>\n"
        }
        html += "<script type=\"application/json\" id=\"data-\(index)\">\(data(report))</script>\n</details>\n"
        return html
    }

    /// What the script shows on click: each event's decoded parts and each page's HTML.
    static func data(_ report: ScenarioReport) -> String {
        let events: [[String: Any]] = report.events.map { event in
            var heading = "\(event.from) → \(event.to): \(event.method) \(event.target) → \(event.status)"
            if let location = event.location { heading += "\nLocation: \(location)" }
            return [
                "title": heading, "channel": event.frontChannel ? "front channel (through the browser)" : "back channel (direct)",
                "parts": event.parts.map { ["title": $0.title, "body": $0.body] },
            ]
        }
        let object: [String: Any] = ["events": events, "pages": report.pages.map(\.html)]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        // Inside <script>, "</script" or "<!--" in a value would end or confuse the element.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }
}
