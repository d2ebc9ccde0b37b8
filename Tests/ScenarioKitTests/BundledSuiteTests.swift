import AsyncHTTPClient
import EmbeddedTarget
import Foundation
import ScenarioKit
import Testing

/// The bundled scenarios, run in-process against the embedded server exactly as
/// `swift run harness run` runs them.
@Suite(.serialized) struct BundledSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func withSuite<T>(_ body: (ScenarioSuite, [ScenarioFile]) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let target = try EmbeddedTarget(configurationDirectory: root.appendingPathComponent("Mocks/server"))
            let suite = ScenarioSuite(runner: ScenarioRunner(root: root, target: target, client: client), jobs: 2)
            let files = try ScenarioFile.discover([root.appendingPathComponent("Vectors/scenarios")], root: root)
            let result = try await body(suite, files)
            try await client.shutdown()
            return result
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    @Test func everyBundledScenarioMatchesItsVector() async throws {
        try await Self.withSuite { suite, files in
            #expect(files.count >= 15)
            for outcome in await suite.run(files, mode: .verify) {
                #expect(outcome.verdict.isSuccess, "\(ConsoleReport.line(outcome))")
            }
        }
    }

    @Test func runningAScenarioTwiceGivesTheSameVector() async throws {
        try await Self.withSuite { suite, files in
            let file = try #require(files.first { $0.id == "auth/sso-across-service-providers" })
            let first = await suite.runner.run(file).vector
            let second = await suite.runner.run(file).vector
            #expect(first != nil)
            #expect(first?.pretty() == second?.pretty())
        }
    }

    @Test func aChangedExpectedValueFailsWithADiffNamingThePath() async throws {
        try await Self.withSuite { suite, files in
            let original = try #require(files.first { $0.id == "saml/nameid-format-persistent" })
            // A copy of the scenario whose vector expects another NameID.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-diff-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let copy = directory.appendingPathComponent("copy.yaml")
            try FileManager.default.copyItem(at: original.file, to: copy)
            let vector = try String(contentsOf: original.vectorFile, encoding: .utf8)
            try vector.replacingOccurrences(of: "\"nameID\": \"alice\"", with: "\"nameID\": \"mallory\"")
                .write(to: directory.appendingPathComponent("copy.vector.json"), atomically: true, encoding: .utf8)

            let changed = try ScenarioFile.discover([copy], root: Self.root)
            let outcome = try #require(await suite.run(changed, mode: .verify).first)
            guard case .mismatch(let mismatches) = outcome.verdict else {
                Issue.record("expected a mismatch, got \(outcome.verdict)")
                return
            }
            #expect(mismatches.first?.path == "portable.parties.sp[0].nameID")
            let line = ConsoleReport.line(outcome)
            #expect(line.contains("expected: \"mallory\""))
            #expect(line.contains("actual:   \"alice\""))
        }
    }
}
