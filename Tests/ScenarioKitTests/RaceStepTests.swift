import Foundation
import ScenarioKit
import Testing

/// The `race` step (issue 19): the next request to the server goes several times at once,
/// and `expect: {raced: …}` says how many copies the server may accept.
@Suite(.serialized) struct RaceStepTests {
    /// Runs a scenario written here (its party and users are the bundled ones).
    func run(_ yaml: String) async throws -> ScenarioRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("race.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let scenario = try #require(try ScenarioFile.discover([file], root: BundledSuiteTests.root).first)
        return try await BundledSuiteTests.withSuite { suite, _ in await suite.runner.run(scenario) }
    }

    @Test func aRequestEveryCopyOfWhichIsAcceptedFailsAnExpectationOfOne() async throws {
        let run = try await run("""
            name: every copy of a discovery document is accepted
            covers: [OA-7]
            steps:
              - race: 3
              - visit: "{server}/.well-known/openid-configuration"
              - expect: { raced: { attempts: 3, accepted: 1 } }
            """)
        #expect(run.error?.contains("the server accepted 3 of 3 copies") == true, "\(run.error ?? "no error")")
    }

    @Test func aRaceFollowedByAStepThatSendsNothingIsAnInvalidScenario() async throws {
        let run = try await run("""
            name: a race that never fires
            covers: [OA-7]
            steps:
              - race: 3
              - admin: { method: GET, path: /admin/v1/users }
            """)
        #expect(run.error?.contains("the step after `race` sent no request to the server") == true, "\(run.error ?? "no error")")
    }

    @Test func aRaceOfOneCopyIsRefusedWhenTheScenarioIsRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("race.yaml")
        try "name: one copy\ncovers: [OA-7]\nsteps:\n  - race: 1\n".write(to: file, atomically: true, encoding: .utf8)
        #expect { try ScenarioFile.discover([file], root: BundledSuiteTests.root) } throws: { "\($0)".contains("race takes 2…32 copies") }
    }
}
