public import Foundation

/// The IDs of `BEHAVIOR.md` (`- **SA-3** …`), to report coverage against.
public struct BehaviorCatalogue: Sendable {
    public let ids: [String]

    public init(markdown: String) {
        let regex = try! NSRegularExpression(pattern: "^- \\*\\*([A-Z]+-[0-9]+)\\*\\*", options: [.anchorsMatchLines])
        let ns = markdown as NSString
        ids = regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    /// `BEHAVIOR.md` from `IH_BEHAVIOR`, else `../shared/BEHAVIOR.md` beside the repository.
    public static func locate(root: URL) -> BehaviorCatalogue? {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["IH_BEHAVIOR"], root.deletingLastPathComponent().appendingPathComponent("shared/BEHAVIOR.md").path]
        for case let path? in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return BehaviorCatalogue(markdown: text) }
        }
        return nil
    }
}

/// Which BEHAVIOR IDs the passing scenarios cover.
public struct Coverage: Sendable {
    public let covered: [String: [String]]
    public let passing: Set<String>

    public init(_ outcomes: [ScenarioOutcome]) {
        var covered = [String: [String]]()
        var passing = Set<String>()
        for outcome in outcomes {
            for id in outcome.file.scenario.covers {
                covered[id, default: []].append(outcome.file.id)
                if outcome.verdict.isSuccess { passing.insert(id) }
            }
        }
        self.covered = covered
        self.passing = passing
    }

    public func summary(against catalogue: BehaviorCatalogue?) -> String {
        guard let catalogue else {
            return "Coverage: \(passing.count) BEHAVIOR IDs covered by passing scenarios: \(passing.sorted().joined(separator: " "))"
        }
        let known = catalogue.ids
        let done = known.filter(passing.contains)
        let failing = known.filter { covered[$0] != nil && !passing.contains($0) }
        let uncovered = known.filter { covered[$0] == nil }
        var lines = ["Coverage: \(done.count) of \(known.count) BEHAVIOR IDs covered by passing scenarios."]
        if !failing.isEmpty { lines.append("  covered but failing: \(failing.joined(separator: " "))") }
        if !uncovered.isEmpty { lines.append("  not yet covered:     \(uncovered.joined(separator: " "))") }
        let unknown = covered.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { lines.append("  unknown IDs in covers: \(unknown.joined(separator: " "))") }
        return lines.joined(separator: "\n")
    }
}
