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

/// Which BEHAVIOR IDs the scenarios cover, and how each fared: the console's view of the
/// same per-item verdicts (``BehaviorVerdict``) the reports give.
public struct Coverage: Sendable {
    /// ID → the scenarios that list it in `covers:`.
    public let covered: [String: [String]]
    /// ID → its verdict over the scenarios that ran (empty when nothing ran).
    public let verdicts: [String: BehaviorVerdict]
    /// IDs whose scenarios pass (for a listing of files alone: every ID they claim).
    public let passing: Set<String>

    /// IDs whose every scenario was not applicable to the target.
    public var notApplicable: Set<String> { Set(verdicts.filter { $0.value == .notApplicable }.keys) }

    public init(_ outcomes: [ScenarioOutcome]) {
        var statuses = [String: [ScenarioOutcome.Status]]()
        for outcome in outcomes { for id in outcome.file.scenario.covers { statuses[id, default: []].append(outcome.status) } }
        let verdicts = statuses.mapValues(BehaviorVerdict.init)
        self.init(files: outcomes.map(\.file), verdicts: verdicts, passing: Set(verdicts.filter { $0.value == .passing }.keys))
    }

    /// Coverage from the scenario files alone (nothing run): which scenarios list each ID.
    /// Nothing has passed, so ``passing`` holds what the files claim, for listings only.
    public init(files: [ScenarioFile]) {
        self.init(files: files, verdicts: [:], passing: Set(files.flatMap(\.scenario.covers)))
    }

    private init(files: [ScenarioFile], verdicts: [String: BehaviorVerdict], passing: Set<String>) {
        var covered = [String: [String]]()
        for file in files { for id in file.scenario.covers { covered[id, default: []].append(file.id) } }
        self.covered = covered
        self.verdicts = verdicts
        self.passing = passing
    }

    /// A line or a few for the end of a run. `partial`: only some scenarios ran, so what
    /// they did not reach is not "uncovered" and is not listed.
    public func summary(against catalogue: BehaviorCatalogue?, partial: Bool = false) -> String {
        if partial {
            return "Coverage: this selection exercises \(passing.count) BEHAVIOR IDs: \(passing.sorted().joined(separator: " "))"
        }
        guard let catalogue else {
            return "Coverage: \(passing.count) BEHAVIOR IDs covered by passing scenarios: \(passing.sorted().joined(separator: " "))"
        }
        let known = catalogue.ids
        func with(_ verdict: (BehaviorVerdict) -> Bool) -> [String] { known.filter { verdicts[$0].map(verdict) == true } }
        var lines = ["Coverage: \(known.filter(passing.contains).count) of \(known.count) BEHAVIOR IDs covered by passing scenarios."]
        for (label, ids) in [
            ("covered but failing:", with(\.isFailure)),
            ("expected failures:", with { $0 == .expectedFailure }),
            ("not applicable here:", with { $0 == .notApplicable }),
            ("not yet covered:", known.filter { covered[$0] == nil }),
            ("unknown IDs in covers:", unknownIDs(in: catalogue)),
        ] where !ids.isEmpty {
            lines.append("  " + label.padding(toLength: max(21, label.count + 1), withPad: " ", startingAt: 0) + ids.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// IDs scenarios name that the catalogue does not have (a typo, or a retired item).
    public func unknownIDs(in catalogue: BehaviorCatalogue) -> [String] {
        covered.keys.filter { !catalogue.ids.contains($0) }.sorted()
    }
}
