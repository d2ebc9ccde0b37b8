public import Foundation
public import IdentityCore
import IdentityServer
import IdentityStorageSQLite
import Logging
public import ScenarioKit
public import StrictYAML

/// The reference identity-server, started in this process for each scenario: SQLite in
/// memory (the embedded default, so the real storage code runs), the scenario's fixed
/// clock and a seeded random source.
public struct EmbeddedTarget: ScenarioTarget {
    let settings: ServerSettings
    let credentials: ServerCredentials

    /// Reads `server.yaml` and its keys from `directory` (normally `Mocks/server`); its
    /// service providers and users are not loaded — each scenario brings its own.
    ///
    /// Password hashing uses 1 000 PBKDF2 iterations instead of the configured count:
    /// scenarios hash every user's password, and the cost of a hash is not what they test.
    public init(configurationDirectory directory: URL) throws {
        var settings = try ConfigurationLoader.settings(directory: directory)
        settings.passwordIterations = 1_000
        settings.baseURL = nil
        self.settings = settings
        self.directory = directory
        self.credentials = try ServerCredentials(settings: settings, relativeTo: directory)
    }

    let directory: URL

    public func start(clock: FixedWallClock, seed: UInt64, settings changes: ConfigValue?, tap: TrafficTap?) async throws -> any RunningTarget {
        let random = SeededRandomSource(seed: seed)
        var settings = self.settings
        if let changes {
            // The scenario's `server:` changes, decoded and validated as server.yaml is.
            settings = try ConfigurationLoader.settings(directory: directory, changes: changes)
            settings.passwordIterations = 1_000
            settings.baseURL = nil
        }
        // Fresh admin credentials per scenario, never a well-known password.
        settings.admin = .init(username: "harness", password: SystemRandomSource().token())
        var logger = Logger(label: "identity-server")
        logger.logLevel = ProcessInfo.processInfo.environment["IH_SERVER_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let runtime = try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: try SQLiteStorage.inMemory(), clock: clock, random: random, logger: logger)
        let server = try await IdentityServerApplication.startInProcess(runtime, tap: tap)
        return Running(server: server, admin: settings.admin!)
    }

    struct Running: RunningTarget {
        let server: HTTPServingServer
        let admin: ServerSettings.AdminCredentials

        var baseURL: String { server.baseURL }
        var adminURL: String { server.baseURL }
        var adminUsername: String { admin.username }
        var adminPassword: String { admin.password }

        func stop() async { await server.stop() }
    }
}

public import HTTPServing
typealias HTTPServingServer = InProcessServer
