public import Foundation
public import IdentityCore
import IdentityServer
import ServerUnderTest
import Logging
public import ScenarioKit
public import StrictYAML
public import HTTPServing

/// The reference identity-server, started in this process for each scenario (see
/// ``ScenarioServer``: SQLite in memory, the scenario's clock and seed).
public struct EmbeddedTarget: ScenarioTarget {
    let server: ScenarioServer
    /// The server serves https under this run's CA and trusts it (`harness run --tls`).
    let tls: RunTLS?

    /// Reads `server.yaml` and its keys from `directory` (normally `Mocks/server`).
    public init(configurationDirectory directory: URL, tls: RunTLS? = nil) throws {
        server = try ScenarioServer(configurationDirectory: directory)
        self.tls = tls
    }

    public func start(clock: FixedWallClock, seed: UInt64, settings changes: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
        // Fresh admin credentials per scenario, never a well-known password.
        let admin = ServerSettings.AdminCredentials(username: "harness", password: SystemRandomSource().token())
        var logger = Logger(label: "identity-server")
        logger.logLevel = ProcessInfo.processInfo.environment["IH_SERVER_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let runtime = try await server.runtime(
            changes: changes, clock: clock, random: SeededRandomSource(seed: seed), admin: admin, logger: logger, outbound: tls?.trust ?? .system)
        return Running(server: try await IdentityServerApplication.startInProcess(runtime, tls: tls?.server, tap: tap), admin: admin)
    }

    struct Running: RunningTarget {
        let server: InProcessServer
        let admin: ServerSettings.AdminCredentials

        var baseURL: String { server.baseURL }
        var adminURL: String { server.baseURL }
        var adminUsername: String { admin.username }
        var adminPassword: String { admin.password }

        func stop() async { await server.stop() }
    }
}
