import Foundation
import Testing
import TestSupport

/// Every fuzz target, built normally (without libFuzzer it replays the files it is given),
/// survives its seeds and every regression input a fuzzing run once found
/// (`Tests/Fuzz/Regressions/<target>/`).
@Suite struct FuzzReplayTests {
    static let root = BundledSuiteTests.root
    static let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    static let targets: [(product: String, regressions: String, seeds: [String])] = [
        ("FuzzSAML", "saml", files("Vectors/protocol/saml", suffix: ".xml") + files("Tests/Fuzz/Seeds/saml", suffix: ".xml")),
        ("FuzzXMLDSig", "xmldsig", files("Vectors/protocol/saml", suffix: ".xml")),
        ("FuzzJWT", "jwt", files("Vectors/protocol/oidc", suffix: ".jwt")),
        ("FuzzRedirectURI", "redirect-uri", files("Tests/Fuzz/Seeds/redirect-uri", suffix: "")),
        ("FuzzSCIM", "scim", files("Tests/Fuzz/Seeds/scim", suffix: ".txt")),
        ("FuzzScenarioYAML", "scenario-yaml", files("Vectors/scenarios/saml", suffix: ".yaml")),
    ]

    static func files(_ path: String, suffix: String) -> [String] {
        let directory = root.appendingPathComponent(path)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test(arguments: targets.map(\.product))
    func aFuzzTargetSurvivesItsSeedsAndRegressions(_ product: String) async throws {
        let target = try #require(Self.targets.first { $0.product == product })
        let executable = Self.directory.appendingPathComponent(product)
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build first (swift build): \(executable.path)")
        let inputs = target.seeds + Self.files("Tests/Fuzz/Regressions/\(target.regressions)", suffix: "")
        #expect(!inputs.isEmpty)
        let result = try await TestProcess.run(awaiting: executable, inputs, in: Self.root)
        #expect(result.status == 0, "\(product) crashed on one of \(inputs.count) inputs: \(result.stderr.suffix(2000))")
    }
}
