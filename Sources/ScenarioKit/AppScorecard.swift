public import Foundation
public import HTTPServing

/// What an application made of one case.
public enum AppVerdict: String, Codable, Sendable {
    /// A genuine login signed the person in, as it must.
    case signedIn = "signed-in"
    /// The hostile message reached the application and the person stayed signed out.
    case refused
    /// Signed in, in the one way the case allows (``AppCase/SafeOutcome``).
    case acceptedSafely = "accepted-safely"
    /// Signed in on a hostile message: a finding.
    case acceptedWrongly = "accepted-wrongly"
    /// The case does not apply to this application (or the IdP cannot stage it).
    case notApplicable = "not-applicable"
    /// The hostile message never reached the application, or the genuine login failed:
    /// nothing can be concluded, and the run fails.
    case inconclusive

    /// Whether the case shows the application behaving well.
    public var isGood: Bool { [.signedIn, .refused, .acceptedSafely, .notApplicable].contains(self) }
}

/// One case's result.
public struct AppCaseResult: Sendable {
    public var id: String
    public var title: String
    public var verdict: AppVerdict
    /// Whom the application signed in, when it did.
    public var signedInAs: String?
    /// Why (not applicable, inconclusive), or what happened.
    public var detail: String?
    /// The status of the application's ACS or callback, and of the signed-in check: what
    /// the verdict rests on, shown in reports, not compared.
    public var evidence: [String: Int] = [:]
    /// What the IdP was armed with (faults, attack), for the reports.
    public var armed = ""
    public var seconds: Double = 0
    /// The expected-failures entry's reason, when the case is listed.
    public var expectedFailure: String?
    /// What the browser did and what the IdP received (for the reports' diagrams).
    public var trace: RunTrace?
    public var traffic: [TrafficExchange] = []

    public init(id: String, title: String, verdict: AppVerdict, signedInAs: String? = nil, detail: String? = nil) {
        self.id = id
        self.title = title
        self.verdict = verdict
        self.signedInAs = signedInAs
        self.detail = detail
    }

    /// Whether the case fails the run: accepted wrongly (unless listed), inconclusive, or
    /// listed while behaving well (a stale entry).
    public var failsRun: Bool {
        switch verdict {
        case .acceptedWrongly: expectedFailure == nil
        case .inconclusive: true
        default: expectedFailure != nil && verdict != .notApplicable
        }
    }

    /// The console line.
    public var line: String {
        let mark = failsRun ? "✗" : (expectedFailure != nil ? "~" : (verdict == .notApplicable ? "-" : "✓"))
        var text = "\(mark) \(id)  \(verdict.rawValue)"
        if let signedInAs, verdict != .signedIn { text += " (signed in as '\(signedInAs)')" }
        if let expectedFailure { text += verdict == .acceptedWrongly ? "  [expected: \(expectedFailure)]" : "  [listed as an expected failure, but \(verdict.rawValue): remove the entry]" }
        if let detail, verdict != .refused, verdict != .signedIn { text += "  — \(detail)" }
        return text
    }
}

/// The scorecard of one application: each case's verdict. It is the application's vector
/// (`Vectors/apps/<name>.scorecard.json`): a run compares its verdicts with it, and
/// `--update` rewrites it. Only the verdict and whom a hostile message signed in are kept:
/// status codes and pages are evidence that may change with the application's version
/// without changing what it accepts.
public struct AppScorecard: Sendable, Equatable {
    public var app: String
    public var kind: String
    public var cases: [String: Entry]

    public struct Entry: Codable, Sendable, Equatable {
        public var verdict: AppVerdict
        public var signedInAs: String?
    }

    public init(app: String, kind: String, results: [AppCaseResult]) {
        self.app = app
        self.kind = kind
        cases = Dictionary(uniqueKeysWithValues: results.map {
            ($0.id, Entry(verdict: $0.verdict, signedInAs: $0.verdict == .signedIn ? nil : $0.signedInAs))
        })
    }

    struct File: Codable {
        var app: String
        var kind: String
        var cases: [String: Entry]
    }

    public static func read(_ url: URL) throws -> AppScorecard? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        return AppScorecard(app: file.app, kind: file.kind, cases: file.cases)
    }

    init(app: String, kind: String, cases: [String: Entry]) {
        self.app = app
        self.kind = kind
        self.cases = cases
    }

    public func write(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (encoder.encode(File(app: app, kind: kind, cases: cases)) + Data("\n".utf8)).write(to: url)
    }

    /// Where this run differs from the committed scorecard, one line each.
    public func differences(from committed: AppScorecard) -> [String] {
        var lines = [String]()
        for id in Set(cases.keys).union(committed.cases.keys).sorted() {
            switch (committed.cases[id], cases[id]) {
            case (nil, let now?): lines.append("\(id): new case, \(now.verdict.rawValue) (not in the scorecard)")
            case (let was?, nil): lines.append("\(id): in the scorecard (\(was.verdict.rawValue)) but not run")
            case (let was?, let now?) where was != now:
                lines.append("\(id): was \(Self.describe(was)), now \(Self.describe(now))")
            default: break
            }
        }
        return lines
    }

    static func describe(_ entry: Entry) -> String {
        entry.verdict.rawValue + (entry.signedInAs.map { " as '\($0)'" } ?? "")
    }
}
