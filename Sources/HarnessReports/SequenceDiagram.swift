/// A scenario's exchanges as an SVG sequence diagram: a lane per party (browser, mocks,
/// server), an arrow per HTTP exchange labelled with method, path and status, a band per
/// step. Drawn here rather than in the page's script so the report reads without
/// JavaScript; the script only adds the click-to-decode panel.
enum SequenceDiagram {
    static let laneWidth = 190
    static let margin = 20
    static let headerHeight = 44
    static let rowHeight = 30
    static let bandHeight = 24

    /// The arrowhead every diagram of a page shares (one definition, one ID per page).
    static let definitions = """
        <svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><marker id="ih-head" viewBox="0 0 10 10" refX="9" \
        refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs></svg>
        """

    static func svg(_ report: ScenarioReport, scenarioIndex: Int) -> String {
        let lanes = report.lanes
        func x(_ lane: String) -> Int {
            let index = lanes.firstIndex(of: lane) ?? (lanes.count - 1)
            return margin + laneWidth / 2 + index * laneWidth
        }
        var body = ""
        var y = headerHeight + 8
        var currentStep = -1
        let titles = Dictionary(report.steps.map { ($0.index, $0.description) }, uniquingKeysWith: { a, _ in a })
        let width = margin * 2 + lanes.count * laneWidth
        for (index, event) in report.events.enumerated() {
            if event.step != currentStep {
                currentStep = event.step
                let title = event.step == 0 ? "set-up" : "step \(event.step): \(titles[event.step] ?? "")"
                body += """
                    <rect class="band" x="0" y="\(y)" width="\(width)" height="\(bandHeight - 4)"/>\
                    <text class="band-title" x="\(margin / 2)" y="\(y + 15)">\(title.truncated(width / 7).htmlEscaped)</text>
                    """
                y += bandHeight
            }
            let from = x(event.from)
            let to = x(event.to)
            let lineY = y + 18
            let failed = event.status >= 400 || event.status == 0
            let classes = ["hop", event.frontChannel ? "front" : "back", failed ? "error" : ""].filter { !$0.isEmpty }.joined(separator: " ")
            let path = event.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? event.target
            let label = "\(event.method) \(path) → \(event.status == 0 ? "no answer" : String(event.status))"
            let span = max(abs(to - from), laneWidth)
            let labelX = from == to ? from + 8 : min(from, to) + 6
            let line: String
            if from == to {
                line = "<path class=\"arrow\" d=\"M\(from) \(lineY - 6) h40 v12 h-40\" marker-end=\"url(#ih-head)\"/>"
            } else {
                line = "<line class=\"arrow\" x1=\"\(from)\" y1=\"\(lineY)\" x2=\"\(to)\" y2=\"\(lineY)\" marker-end=\"url(#ih-head)\"/>"
            }
            body += """
                <g class="\(classes)" data-scenario="\(scenarioIndex)" data-event="\(index)" tabindex="0" role="button">\
                <title>\(event.method.htmlEscaped) \(event.target.htmlEscaped) → \(event.status)\(event.location.map { " → " + $0 }?.htmlEscaped ?? "")</title>\
                <rect class="hit" x="\(min(from, to) - 4)" y="\(y)" width="\(abs(to - from) + 48)" height="\(rowHeight - 2)"/>\
                <text class="label" x="\(labelX)" y="\(lineY - 5)">\(label.truncated(span / 6).htmlEscaped)</text>\(line)</g>
                """
            y += rowHeight
        }
        let height = y + 10
        var lanesSVG = ""
        for lane in lanes {
            let cx = x(lane)
            lanesSVG += """
                <line class="lane" x1="\(cx)" y1="\(headerHeight)" x2="\(cx)" y2="\(height)"/>\
                <rect class="lane-box" x="\(cx - laneWidth / 2 + 10)" y="6" width="\(laneWidth - 20)" height="\(headerHeight - 14)" rx="4"/>\
                <text class="lane-title" x="\(cx)" y="\(headerHeight - 18)" text-anchor="middle">\(lane.htmlEscaped)</text>
                """
        }
        return """
            <svg class="sequence" xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            data-events="\(report.events.count)">\(lanesSVG)\(body)</svg>
            """
    }
}
