import ArgumentParser
import AsyncHTTPClient
import Foundation
import ScenarioKit

extension HarnessCommand {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure flows/s and p50/p99 latency of SAML SSO, the OIDC code flow, client_credentials and refresh against identity-server in its own process.",
            discussion: """
                Build in release mode for numbers worth quoting: swift run -c release harness bench. The server runs \
                `--config Mocks/server` on a scratch SQLite file (the configured password hashing cost included); the mock \
                SP and RP run in this process.
                """)

        @Option(help: "Seconds per flow.")
        var seconds: Double = 5

        @Option(help: "Concurrent workers per flow (default: the number of cores).")
        var concurrency: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Only these flows (repeat): saml-fresh, saml-session, oidc-code, client-credentials, refresh.")
        var flow: [String] = []

        @Option(help: "Repository root (default: found upwards from the current directory).")
        var root: String?

        @Option(help: "The identity-server executable (default: the one built beside this harness).")
        var server: String?

        @Flag(help: "Instead of the flows: time the SP's answer to each kind of encrypted assertion (SA-8), in this process.")
        var decryption = false

        @Option(help: "With --decryption: validations per kind.")
        var iterations = 2000

        /// One line per kind of encrypted assertion: what the validator answered and how long
        /// it took (median, 90th percentile).
        func decryptionTimes() throws {
            guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
            var suite = try SuiteOptions.parse([])
            suite.root = root
            let results = try DecryptionBenchmark(root: try suite.repositoryRoot(), iterations: iterations).run()
            print("encrypted assertion (2048-bit RSA-OAEP, AES-256)              outcome                      p50 µs    p90 µs")
            for result in results {
                print(
                    result.name.padding(toLength: 62, withPad: " ", startingAt: 0) + " "
                        + result.outcome.padding(toLength: 26, withPad: " ", startingAt: 0)
                        + String(format: "%9.1f %9.1f", result.medianMicroseconds, result.p90Microseconds))
            }
        }

        static let flowNames: [String: Benchmark.Flow] = [
            "saml-fresh": .samlFreshLogin, "saml-session": .samlLiveSession, "oidc-code": .oidcCodeFlow,
            "client-credentials": .clientCredentials, "refresh": .refresh,
        ]

        func run() async throws {
            if decryption { return try decryptionTimes() }
            guard seconds > 0, concurrency >= 1 else { throw ValidationError("--seconds must be positive and --concurrency at least 1") }
            let flows = try flow.isEmpty ? Benchmark.Flow.allCases : flow.map { name in
                guard let flow = Self.flowNames[name] else {
                    throw ValidationError("unknown flow '\(name)'; one of \(Self.flowNames.keys.sorted().joined(separator: ", "))")
                }
                return flow
            }
            // Parsed (from nothing), not `init()`: a property wrapper read before parsing traps.
            var suite = try SuiteOptions.parse([])
            suite.root = root
            let repository = try suite.repositoryRoot()
            let client = try HTTPClient.harness()
            // A real SQLite file (WAL) in a directory of its own, removed afterwards.
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harness-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let process: ServerProcess
            do {
                process = try await ServerProcess.start(
                    executable: server.map { URL(fileURLWithPath: $0) } ?? ServerProcess.executableBesideThisOne(),
                    arguments: [
                        "--config", repository.appendingPathComponent("Mocks/server").path,
                        "--db", scratch.appendingPathComponent("bench.sqlite").path, "--log-level", "error",
                    ],
                    log: scratch.appendingPathComponent("server.log"), client: client)
            } catch {
                try await client.shutdown()
                throw error
            }
            let benchmark = Benchmark(
                root: repository, serverURL: process.baseURL, admin: ("admin", "admin"), user: ("alice", "alice-password"), client: client)
            var failures = 0
            do {
                let parties = try await benchmark.prepare()
                print("identity-server \(process.baseURL) (own process, SQLite file, Mocks/server settings); \(concurrency) workers; \(seconds) s per flow")
                print("flow                               flows/s     p50 ms     p99 ms   completed  failed")
                for flow in flows {
                    let result = await benchmark.measure(flow, parties: parties, seconds: seconds, concurrency: concurrency)
                    failures += result.failed
                    let columns = [
                        flow.rawValue.padding(toLength: 33, withPad: " ", startingAt: 0),
                        String(format: "%9.1f", result.perSecond), String(format: "%10.2f", result.p50), String(format: "%10.2f", result.p99),
                        String(format: "%11d", result.completed), String(format: "%7d", result.failed),
                    ]
                    print(columns.joined(separator: " "))
                    if let error = result.firstError { print("    first failure: \(error)") }
                }
                await parties.stop()
            } catch {
                process.stop()
                try await client.shutdown()
                throw error
            }
            process.stop()
            try await client.shutdown()
            if failures > 0 { throw ExitCode.failure }
        }
    }
}
