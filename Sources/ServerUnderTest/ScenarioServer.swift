public import Foundation
public import OutboundHTTP
public import IdentityServer
public import IdentityCore
import IdentityStorageSQLite
public import Logging
public import StrictYAML

/// A reference server made for one scenario: SQLite in memory (so the real storage code
/// runs), the scenario's clock and seeded random source, its changes to `server.yaml`, and
/// none of the configuration's sample SPs or users (each scenario brings its own). The
/// harness's embedded target and `identity-server-test --test-control` both make servers here,
/// so a scenario gives the same vector in-process and against a separate process.
public struct ScenarioServer: Sendable {
    public let directory: URL
    public let settings: ServerSettings
    public let credentials: ServerCredentials

    /// Password hashing uses 1 000 PBKDF2 iterations instead of the configured count:
    /// scenarios hash every user's password, and the cost of a hash is not what they test.
    public static let passwordIterations = 1_000

    public init(configurationDirectory directory: URL) throws {
        var settings = try ConfigurationLoader.settings(directory: directory)
        settings.passwordIterations = Self.passwordIterations
        settings.baseURL = nil
        self.directory = directory
        self.settings = settings
        self.credentials = try ServerCredentials(settings: settings, relativeTo: directory)
    }

    /// A runtime for one scenario; `admin` replaces the configured admin credentials.
    public func runtime(
        changes: ConfigValue?, clock: any WallClock, random: any RandomSource, admin: ServerSettings.AdminCredentials?, logger: Logger,
        outbound: OutboundTrust = .system
    ) async throws -> ServerRuntime {
        var settings = self.settings
        if let changes {
            // The scenario's `server:` changes, decoded and validated as server.yaml is.
            settings = try ConfigurationLoader.settings(directory: directory, changes: changes)
            settings.passwordIterations = Self.passwordIterations
            settings.baseURL = nil
        }
        if let admin { settings.admin = admin }
        return try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: try SQLiteStorage.inMemory(sections: .server), clock: clock, random: random, logger: logger,
            outbound: outbound)
    }
}
