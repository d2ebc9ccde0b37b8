import Foundation
import Testing
import TestSupport

/// `mock-scim` as a developer starts it: the identity provider record that makes it a
/// target, and a profile it cannot use refused with the field named.
@Suite struct MockSCIMCommandLineTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mock-scim")

    @Test func itPrintsTheTargetRecordWithItsOwnURL() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "swift build makes \(Self.executable.path)")
        let result = try await TestProcess.run(
            awaiting: Self.executable, ["--profile", "Mocks/scim/crm.yaml", "--port", "9711", "--print-registration"], in: BundledSuiteTests.root)
        #expect(result.status == 0)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(record["kind"] as? String == "scim")
        #expect((record["scim"] as? [String: Any])?["url"] as? String == "http://127.0.0.1:9711/scim2")
    }

    @Test func aProfileWithoutItsCredentialsIsRefusedNamingTheField() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "swift build makes \(Self.executable.path)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scim-\(UUID().uuidString).yaml")
        try "kind: scim\nauthentication: bearer\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await TestProcess.run(awaiting: Self.executable, ["--profile", file.path, "--print-registration"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("mock.profile_invalid") && result.stderr.contains("token"))
    }
}
