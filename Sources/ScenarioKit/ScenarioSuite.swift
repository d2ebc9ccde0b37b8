import Foundation

/// The verdict on one scenario.
public enum ScenarioVerdict: Sendable {
    case passed
    /// Every `expect` step held and the portable layer of the vector matched; the
    /// reference transcript was not compared, since the target is not reset between
    /// scenarios (see ``ScenarioTarget/isReproducible`` and ``Vector``).
    case portableMatched
    case recorded
    /// It could not run, or an `expect` failed.
    case failed(String)
    /// It ran, and what happened differs from its vector.
    case mismatch([VectorMismatch])
    case missingVector
    /// Not run: the target does not implement these capabilities (or the harness cannot
    /// control it as the scenario needs), so the scenario says nothing about it.
    case notApplicable([Capability])

    /// Ran and matched (or was recorded).
    public var isSuccess: Bool {
        switch self {
        case .passed, .portableMatched, .recorded: true
        default: false
        }
    }

    /// What went wrong, as one text (an expected-failure entry's `failure` is looked for
    /// in it); nil when nothing did.
    public var failureText: String? {
        switch self {
        case .passed, .portableMatched, .recorded, .notApplicable: nil
        case .missingVector: "no vector"
        case .failed(let reason): reason
        case .mismatch(let mismatches): "differs from the vector at " + mismatches.map(\.path).joined(separator: ", ")
        }
    }

    /// Why a not-applicable scenario was not run.
    public static func notApplicableReason(_ missing: [Capability]) -> String {
        "the target does not implement \(missing.map(\.name).joined(separator: ", "))"
    }
}

/// As a worker process reports it to the parent run: `{"kind": "mismatch", "mismatches": […]}`.
extension ScenarioVerdict: Codable {
    enum CodingKeys: String, CodingKey { case kind, reason, mismatches, missing }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "passed": self = .passed
        case "portableMatched": self = .portableMatched
        case "recorded": self = .recorded
        case "missingVector": self = .missingVector
        case "failed": self = .failed(try c.decode(String.self, forKey: .reason))
        case "notApplicable": self = .notApplicable(try c.decode([Capability].self, forKey: .missing))
        case "mismatch": self = .mismatch(try c.decode([VectorMismatch].self, forKey: .mismatches))
        case let kind: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown verdict \(kind)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .passed: try c.encode("passed", forKey: .kind)
        case .portableMatched: try c.encode("portableMatched", forKey: .kind)
        case .recorded: try c.encode("recorded", forKey: .kind)
        case .missingVector: try c.encode("missingVector", forKey: .kind)
        case .failed(let reason):
            try c.encode("failed", forKey: .kind)
            try c.encode(reason, forKey: .reason)
        case .notApplicable(let missing):
            try c.encode("notApplicable", forKey: .kind)
            try c.encode(missing, forKey: .missing)
        case .mismatch(let mismatches):
            try c.encode("mismatch", forKey: .kind)
            try c.encode(mismatches, forKey: .mismatches)
        }
    }
}

public struct ScenarioOutcome: Sendable {
    public let file: ScenarioFile
    public let verdict: ScenarioVerdict
    public let seconds: Double
    /// What the run observed (the actual vector, every HTTP exchange), for reports; nil
    /// when it did not run.
    public var run: ScenarioRun?
    /// The allowlist's reason when this scenario is listed as an expected failure.
    public var expectedFailure: String?

    public init(file: ScenarioFile, verdict: ScenarioVerdict, seconds: Double, run: ScenarioRun? = nil, expectedFailure: String? = nil) {
        self.file = file
        self.verdict = verdict
        self.seconds = seconds
        self.run = run
        self.expectedFailure = expectedFailure
    }

    /// How the run counts it.
    public enum Status: String, Sendable, Codable {
        case passed, recorded, failed
        /// The target does not implement what the scenario requires.
        case notApplicable = "not applicable"
        /// Failed, and listed as an expected failure.
        case expectedFailure = "expected failure"
        /// Listed as an expected failure, and passed: the entry is stale.
        case unexpectedPass = "unexpected pass"
    }

    public var status: Status {
        switch (verdict, expectedFailure) {
        case (.notApplicable, _): .notApplicable
        case (.recorded, _): .recorded
        case (.passed, nil), (.portableMatched, nil): .passed
        case (.passed, _?), (.portableMatched, _?): .unexpectedPass
        case (_, nil): .failed
        case (_, _?): .expectedFailure
        }
    }

    /// Whether it fails the run.
    public var failsRun: Bool { status == .failed || status == .unexpectedPass }
}

/// Runs many scenarios, `jobs` at a time (each in its own world, so order does not
/// matter), and either compares each with its vector or records it.
public struct ScenarioSuite: Sendable {
    public enum Mode: Sendable { case verify, record }

    public let runner: ScenarioRunner
    public let jobs: Int

    public init(runner: ScenarioRunner, jobs: Int) {
        self.runner = runner
        self.jobs = max(1, jobs)
    }

    public func run(
        _ files: [ScenarioFile], mode: Mode, expectedFailures: ExpectedFailures? = nil,
        progress: @escaping @Sendable (ScenarioOutcome) -> Void = { _ in }
    ) async -> [ScenarioOutcome] {
        await withTaskGroup(of: (Int, ScenarioOutcome).self) { group in
            var results = [ScenarioOutcome?](repeating: nil, count: files.count)
            var next = 0
            func launch() {
                guard next < files.count else { return }
                let index = next
                next += 1
                group.addTask {
                    var outcome = await self.runOne(files[index], mode: mode)
                    // Recording writes what happened; only a verifying run has expected failures.
                    if mode == .verify { outcome.expectedFailure = expectedFailures?.reason(for: outcome) }
                    progress(outcome)
                    return (index, outcome)
                }
            }
            for _ in 0..<min(jobs, files.count) { launch() }
            for await (index, outcome) in group {
                results[index] = outcome
                launch()
            }
            return results.compactMap { $0 }
        }
    }

    /// Why a run against a target that is not reset writes no vector.
    public static let notRecordable = "vectors are recorded only against a server reset between scenarios (the embedded one, or one under test control)"

    func runOne(_ file: ScenarioFile, mode: Mode) async -> ScenarioOutcome {
        // Refused before it runs: it would change a server nobody resets, for nothing.
        if mode == .record && !runner.target.isReproducible {
            return ScenarioOutcome(file: file, verdict: .failed(Self.notRecordable), seconds: 0)
        }
        let missing = file.requirements.subtracting(runner.target.capabilities)
        if !missing.isEmpty {
            return ScenarioOutcome(file: file, verdict: .notApplicable(missing.sorted()), seconds: 0)
        }
        let run = await runner.run(file)
        var outcome = verdict(file, run, mode: mode)
        outcome.run = run
        return outcome
    }

    private func verdict(_ file: ScenarioFile, _ run: ScenarioRun, mode: Mode) -> ScenarioOutcome {
        guard let vector = run.vector else {
            return ScenarioOutcome(file: file, verdict: .failed(run.error ?? "unknown error"), seconds: run.seconds)
        }
        switch mode {
        case .record:
            do {
                try vector.pretty().write(to: file.vectorFile, atomically: true, encoding: .utf8)
                return ScenarioOutcome(file: file, verdict: .recorded, seconds: run.seconds)
            } catch {
                return ScenarioOutcome(file: file, verdict: .failed("cannot write \(file.vectorFile.path): \(error)"), seconds: run.seconds)
            }
        case .verify:
            guard let data = try? Data(contentsOf: file.vectorFile) else {
                return ScenarioOutcome(file: file, verdict: .missingVector, seconds: run.seconds)
            }
            guard let expected = try? JSONValue(parsing: data) else {
                return ScenarioOutcome(file: file, verdict: .failed("\(file.vectorFile.lastPathComponent) is not valid JSON"), seconds: run.seconds)
            }
            guard runner.target.isReproducible else {
                // Only the portable layer: how the server got there is its own business.
                let mismatches = VectorDiff.compare(
                    expected: expected[Vector.portable] ?? .null, actual: vector[Vector.portable] ?? .null, timeTolerance: Vector.timeTolerance,
                    earlier: Vector.earlierAllowed,
                    ignoring: Vector.wording, mayBeAbsent: Vector.mayBeAbsent(for: runner.target.capabilities)
                ).map { VectorMismatch(path: Vector.portable + "." + $0.path, expected: $0.expected, actual: $0.actual) }
                return ScenarioOutcome(file: file, verdict: mismatches.isEmpty ? .portableMatched : .mismatch(mismatches), seconds: run.seconds)
            }
            let mismatches = VectorDiff.compare(expected: expected, actual: vector)
            return ScenarioOutcome(file: file, verdict: mismatches.isEmpty ? .passed : .mismatch(mismatches), seconds: run.seconds)
        }
    }
}
