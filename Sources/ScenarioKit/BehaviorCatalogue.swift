public import Foundation

/// The items of `BEHAVIOR.md` (`- **SA-3** …`), to report coverage against.
public struct BehaviorCatalogue: Sendable {
    public struct Item: Sendable {
        public let id: String
        /// The item's text, as written (Markdown).
        public let text: String
    }

    public let items: [Item]
    public var ids: [String] { items.map(\.id) }

    public init(markdown: String) {
        let regex = try! NSRegularExpression(pattern: "^- \\*\\*([A-Z]+-[0-9]+)\\*\\*[ \\t]*(.*)$", options: [.anchorsMatchLines])
        let ns = markdown as NSString
        items = regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)).map {
            Item(id: ns.substring(with: $0.range(at: 1)), text: ns.substring(with: $0.range(at: 2)))
        }
    }

    /// `IH_BEHAVIOR` if set; else the shared contract beside the repository
    /// (`../shared/BEHAVIOR.md`, the authoritative copy where it exists); else the copy a
    /// clone carries (`docs/BEHAVIOR.md`).
    public static func locate(root: URL) -> BehaviorCatalogue? {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["IH_BEHAVIOR"],
            root.deletingLastPathComponent().appendingPathComponent("shared/BEHAVIOR.md").path,
            root.appendingPathComponent("docs/BEHAVIOR.md").path,
        ]
        for case let path? in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return BehaviorCatalogue(markdown: text) }
        }
        return nil
    }
}

/// Which BEHAVIOR IDs the scenarios cover, and which of those passed.
public struct Coverage: Sendable {
    /// ID → the scenarios that list it in `covers:`.
    public let covered: [String: [String]]
    /// IDs covered by at least one scenario that passed (or was recorded).
    public let passing: Set<String>
    /// IDs whose every scenario was not applicable to the target.
    public private(set) var notApplicable: Set<String> = []

    public init(_ outcomes: [ScenarioOutcome]) {
        self.init(outcomes.map { ($0.file, $0.verdict.isSuccess) })
        var statuses = [String: [ScenarioOutcome.Status]]()
        for outcome in outcomes { for id in outcome.file.scenario.covers { statuses[id, default: []].append(outcome.status) } }
        notApplicable = Set(statuses.filter { $0.value.allSatisfy { $0 == .notApplicable } }.keys)
    }

    /// Coverage from the scenario files alone (nothing run): which scenarios list each ID.
    /// Nothing has passed, so ``passing`` holds what the files claim, for listings only.
    public init(files: [ScenarioFile]) {
        self.init(files.map { ($0, true) })
    }

    private init(_ scenarios: [(file: ScenarioFile, counts: Bool)]) {
        var covered = [String: [String]]()
        var passing = Set<String>()
        for (file, counts) in scenarios {
            for id in file.scenario.covers {
                covered[id, default: []].append(file.id)
                if counts { passing.insert(id) }
            }
        }
        self.covered = covered
        self.passing = passing
    }

    /// A line or three for the end of a run. `partial`: only some scenarios ran, so what
    /// they did not reach is not "uncovered" and is not listed.
    public func summary(against catalogue: BehaviorCatalogue?, partial: Bool = false) -> String {
        if partial {
            return "Coverage: this selection exercises \(passing.count) BEHAVIOR IDs: \(passing.sorted().joined(separator: " "))"
        }
        guard let catalogue else {
            return "Coverage: \(passing.count) BEHAVIOR IDs covered by passing scenarios: \(passing.sorted().joined(separator: " "))"
        }
        let known = catalogue.ids
        let done = known.filter(passing.contains)
        let failing = known.filter { covered[$0] != nil && !passing.contains($0) && !notApplicable.contains($0) }
        let inapplicable = known.filter(notApplicable.contains)
        let uncovered = known.filter { covered[$0] == nil }
        var lines = ["Coverage: \(done.count) of \(known.count) BEHAVIOR IDs covered by passing scenarios."]
        if !failing.isEmpty { lines.append("  covered but failing: \(failing.joined(separator: " "))") }
        if !inapplicable.isEmpty { lines.append("  not applicable here: \(inapplicable.joined(separator: " "))") }
        if !uncovered.isEmpty { lines.append("  not yet covered:     \(uncovered.joined(separator: " "))") }
        let unknown = unknownIDs(in: catalogue)
        if !unknown.isEmpty { lines.append("  unknown IDs in covers: \(unknown.joined(separator: " "))") }
        return lines.joined(separator: "\n")
    }

    /// IDs scenarios name that the catalogue does not have (a typo, or a retired item).
    public func unknownIDs(in catalogue: BehaviorCatalogue) -> [String] {
        covered.keys.filter { !catalogue.ids.contains($0) }.sorted()
    }
}
