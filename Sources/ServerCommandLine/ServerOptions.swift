public import ArgumentParser
public import Foundation
public import IdentityServer
import IdentityCore
public import Logging
public import CommandLineTLS

/// The options every identity-server executable takes, and how a refused configuration
/// ends the process: the coded error on standard error, exit status 2.
public struct ServerOptions: ParsableArguments {
    @Option(help: "Configuration directory: server.yaml, service-providers/*.yaml, users/*.yaml.")
    public var config: String

    @Option(help: "SQLite database file (created if missing).")
    public var db: String = "identity-server.sqlite"

    @Flag(help: "Keep everything in memory instead of a database file.")
    public var inMemory = false

    @Option(help: "PostgreSQL instead of SQLite: postgres://user[:password]@host[:port]/database (several instances may share it).")
    public var postgres: String?

    @Option(help: "The most connections this instance opens to PostgreSQL.")
    public var postgresConnections = 10

    @Option(help: "Address to listen on.")
    public var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    public var port = 9443

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    public var logLevel = "info"

    @Option(help: """
        Once listening, write the server's base URL to this file (for scripts and tests that start the server on \
        --port 0 and need to know where it is, and that it is this process that listens there).
        """)
    public var portFile: String?

    @OptionGroup public var tls: TLSOptions

    @Option(help: "With TLS (--tls, --tls-cert or server.yaml tls:): also listen on this plain-http port, only to redirect (308) to https.")
    public var httpRedirectPort: Int?

    public init() {}

    public var logger: Logger {
        var logger = Logger(label: "identity-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    public var configurationDirectory: URL { URL(fileURLWithPath: config, isDirectory: true) }

    /// The launch these options describe; `database` when the caller decides it.
    public func launch(database: ServerLaunch.Database? = nil) -> ServerLaunch {
        ServerLaunch(
            configuration: configurationDirectory,
            database: database ?? (inMemory ? .inMemory : postgres.map { .postgres(url: $0, connections: postgresConnections) } ?? .file(path: db)),
            host: host, port: port,
            portFile: portFile, logger: logger, tls: tls.settings, caBundles: tls.caBundle.map { URL(fileURLWithPath: $0).path },
            httpRedirectPort: httpRedirectPort)
    }

    /// Runs `body`; a coded error (a configuration the server cannot run with) is the
    /// user's to fix: it is printed with where it is, and the process exits with 2.
    public static func exitingOnCodedError(_ command: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as any CodedError {
            FileHandle.standardError.write(Data("\(command): \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
