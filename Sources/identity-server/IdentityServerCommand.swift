import ArgumentParser
import Foundation
import Hummingbird
import IdentityCore
import IdentityServer
import IdentityStorage
import IdentityStorageSQLite
import Logging

/// `identity-server --config DIR [--db PATH | --in-memory] [--host H] [--port N]`
@main
struct IdentityServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity-server",
        abstract: "The reference identity server: SAML 2.0 IdP with WSO2-style service providers.")

    @Option(help: "Configuration directory: server.yaml, service-providers/*.yaml, users/*.yaml.")
    var config: String

    @Option(help: "SQLite database file (created if missing).")
    var db: String = "identity-server.sqlite"

    @Flag(help: "Keep everything in memory instead of a database file.")
    var inMemory = false

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 9443

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel = "info"

    @Option(help: """
        TEST ONLY (needs --in-memory): also listen on this port for the harness's conformance mode, which resets the \
        whole server per scenario (fixed clock, seeded IDs, no sample SPs or users) and moves its clock.
        """)
    var testControl: Int?

    @Option(help: """
        Once listening, write the server's base URL to this file (for scripts and tests that start the server on \
        --port 0 and need to know where it is, and that it is this process that listens there).
        """)
    var portFile: String?

    func validate() throws {
        if testControl != nil && !inMemory {
            throw ValidationError("--test-control wipes the server per scenario: it runs only with --in-memory")
        }
    }

    /// Crash tests only: with `IH_FAULT_STALL_USER_INSERT=<file>` the server writes that
    /// file and stalls inside the transaction that inserts a user, so a test can SIGKILL it
    /// with the transaction open. Never set in normal use.
    static func faultInjection() -> SQLiteFaultInjection {
        guard let marker = ProcessInfo.processInfo.environment["IH_FAULT_STALL_USER_INSERT"] else { return SQLiteFaultInjection() }
        return SQLiteFaultInjection(beforeUserInsertCommits: {
            _ = FileManager.default.createFile(atPath: marker, contents: Data("stalled\n".utf8))
            Thread.sleep(forTimeInterval: 120)
        })
    }

    func run() async throws {
        var configuredLogger = Logger(label: "identity-server")
        configuredLogger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let logger = configuredLogger
        let directory = URL(fileURLWithPath: config, isDirectory: true)
        do {
            if let testControl {
                try await runUnderTestControl(directory: directory, controlPort: testControl, logger: logger)
                return
            }
            let loaded = try ConfigurationLoader.load(directory: directory) { settings in
                ServiceProviderValidator(
                    signingFamilies: try ServerCredentials(settings: settings, relativeTo: directory).families, dialect: settings.dialect)
            }
            let credentials = try ServerCredentials(settings: loaded.settings, relativeTo: directory)
            let storage = inMemory ? Storage.inMemory() : try SQLiteStorage.open(path: db, faults: Self.faultInjection())
            let runtime = try await ServerRuntime.create(
                settings: loaded.settings, credentials: credentials, storage: storage, clock: SystemWallClock(),
                random: SystemRandomSource(), logger: logger)
            try await runtime.seedIfMissing(loaded)
            let app = IdentityServerApplication.application(runtime, host: host, port: port) { url in
                let base = runtime.baseURL.string
                logger.notice("identity-server listening on \(url) (public base \(base); SAML SSO: \(base)/samlsso, metadata: \(base)/identity/metadata/saml2)")
                announce(url)
            }
            try await app.runService()
        } catch let error as any CodedError {
            // Configuration problems are the user's to fix: say where, exit non-zero.
            FileHandle.standardError.write(Data("identity-server: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Writes `url` to `--port-file`, atomically so a reader never sees half of it.
    func announce(_ url: String) {
        guard let portFile else { return }
        do {
            try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("identity-server: cannot write --port-file \(portFile): \(error)\n".utf8))
        }
    }

    /// The server as a conformance target: the scenario server on `--port`, swapped per
    /// scenario by the control listener on `controlPort`.
    func runUnderTestControl(directory: URL, controlPort: Int, logger: Logger) async throws {
        let control = try TestControl(configurationDirectory: directory, host: host, port: port, logger: logger)
        try await control.start()
        let app = Application(
            router: control.router(), configuration: .init(address: .hostname(host, port: controlPort), serverName: "identity-server test control"),
            onServerRunning: { _ in
                let url = await control.baseURL
                logger.notice("identity-server (TEST CONTROL) on \(url); control on http://\(host):\(controlPort)")
                announce(url)
            }, logger: logger)
        do {
            try await app.runService()
        } catch {
            await control.stop()
            throw error
        }
        await control.stop()
    }
}
