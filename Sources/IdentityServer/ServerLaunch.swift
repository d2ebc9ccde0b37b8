public import Foundation
import IdentityCore
import IdentityStorage
import IdentityStoragePostgres
public import IdentityStorageSQLite
public import Logging
public import HTTPServing
public import OutboundHTTP
import ServiceLifecycle

/// One server process: its configuration directory loaded and validated, its storage
/// opened, the sample records seeded where missing, and the application served until the
/// process is stopped. The executables only parse their arguments into one of these.
public struct ServerLaunch: Sendable {
    public enum Database: Sendable {
        /// A SQLite file, created if missing; `faults` for crash tests only.
        case file(path: String, faults: SQLiteFaultInjection = SQLiteFaultInjection())
        case inMemory
        /// PostgreSQL at `url` (`postgres://user@host:port/database`), shared by every
        /// instance started on it; a pool of at most `connections`.
        case postgres(url: String, connections: Int)
    }

    public var configuration: URL
    public var database: Database
    public var host: String
    public var port: Int
    /// Written with the base URL once listening (for scripts that start the server on
    /// port 0 and need to know where it is, and that it is this process that listens).
    public var portFile: String?
    public var logger: Logger
    /// HTTPS from the command line (absolute paths); else `server.yaml`'s `tls`, if any.
    public var tls: TLSSettings?
    /// CA bundles its calls trust, from the command line (absolute paths), besides
    /// `server.yaml`'s `trustedCAs` and, when serving the development CA's certificate,
    /// that CA.
    public var caBundles: [String]
    /// `--http-redirect-port`, over `server.yaml`'s `tls.httpRedirectPort`.
    public var httpRedirectPort: Int?

    public init(configuration: URL, database: Database, host: String, port: Int, portFile: String?, logger: Logger, tls: TLSSettings? = nil, caBundles: [String] = [], httpRedirectPort: Int? = nil
    ) {
        self.tls = tls
        self.httpRedirectPort = httpRedirectPort
        self.caBundles = caBundles
        self.configuration = configuration
        self.database = database
        self.host = host
        self.port = port
        self.portFile = portFile
        self.logger = logger
    }

    /// Serves until stopped; a configuration the server cannot run with is thrown as the
    /// coded error that says where.
    public func run() async throws {
        let directory = configuration
        let loaded = try ConfigurationLoader.load(directory: directory) { settings in
            ServiceProviderValidator(
                signingFamilies: try ServerCredentials(settings: settings, relativeTo: directory).families, dialect: settings.dialect)
        }
        let credentials = try ServerCredentials(settings: loaded.settings, relativeTo: directory)
        let asked = tlsSettings(loaded.settings)
        if httpRedirectPort != nil, asked == nil {
            throw TLSError(
                .tlsNotConfigured, field: "http-redirect-port",
                detail: "a port that redirects to https needs the server on https: --tls, --tls-cert and --tls-key, or tls: in server.yaml")
        }
        let served = try asked.map { [logger] settings throws(TLSError) in
            try settings.serverTLS(relativeTo: directory) { instructions in logger.notice("made a development CA for --tls.\n\(instructions)") }
        }
        var postgres: PostgresStorage?
        let storage: Storage
        switch database {
        case .file(let path, let faults): storage = try SQLiteStorage.open(path: path, sections: .server, faults: faults)
        case .inMemory: storage = Storage.inMemory()
        case .postgres(let url, let connections):
            let database = try await PostgresStorage.connect(
                configuration: PostgresStorage.configuration(url: url), connections: connections, sections: .server, logger: logger)
            postgres = database
            storage = database.storage
        }
        do {
            try await serve(loaded, credentials: credentials, storage: storage, tls: served, seedRetries: postgres == nil ? 0 : 1)
        } catch {
            await postgres?.close()
            throw error
        }
        await postgres?.close()
    }

    /// The HTTPS it is asked for: the command line's, else `server.yaml`'s.
    public func tlsSettings(_ settings: ServerSettings) -> TLSSettings? { tls ?? settings.tls }

    /// What the server's own calls trust: the system's CAs, `trustedCAs`, `--ca-bundle`,
    /// and the development CA when it serves that CA's certificate.
    public func outboundTrust(_ settings: ServerSettings) -> OutboundTrust {
        let files = settings.trustedCAs.map { URL(fileURLWithPath: $0, relativeTo: configuration).path } + caBundles
            + (tlsSettings(settings)?.trustedBundles ?? [])
        return OutboundTrust(caBundles: files.reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
    }

    private func serve(_ loaded: LoadedConfiguration, credentials: ServerCredentials, storage: Storage, tls: ServerTLS?, seedRetries: Int) async throws {
        let runtime = try await ServerRuntime.create(
            settings: loaded.settings, credentials: credentials, storage: storage, clock: SystemWallClock(), random: SystemRandomSource(),
            logger: logger, outbound: outboundTrust(loaded.settings))
        do {
            try await runtime.seedIfMissing(loaded)
        } catch let error as StorageError where error.code == .storageAlreadyExists && seedRetries > 0 {
            // Instances started together on one database seed at once: the one that lost
            // the race finds the records on a second pass and takes the update path.
            try await runtime.seedIfMissing(loaded)
        }
        let (logger, launch) = (logger, self)
        let app = IdentityServerApplication.application(runtime, host: host, port: port, tls: tls) { url in
            let base = runtime.baseURL.string
            logger.notice("identity-server listening on \(url) (public base \(base); SAML SSO: \(base)/samlsso, metadata: \(base)/identity/metadata/saml2)")
            if let tls { logger.notice("serving TLS 1.2+ (HTTP/2 and HTTP/1.1) with \(tls.source)") }
            launch.announce(url)
        }
        guard let redirectPort = httpRedirectPort ?? tlsSettings(loaded.settings)?.httpRedirectPort, tls != nil else {
            try await app.runService()
            return
        }
        // Both listeners, and the application's own services (the provisioning worker), in
        // one service group — as `runService()` groups the application with its services:
        // a signal stops all, and one failing (the redirect port taken) stops the rest.
        if !runtime.baseURL.isHTTPS, loaded.settings.baseURL != nil {
            logger.warning("server.yaml's baseURL is not https: http://\(host):\(redirectPort) redirects to \(runtime.baseURL.string)")
        }
        let redirect = HTTPSRedirect.application(host: host, port: redirectPort, limits: loaded.settings.http, logger: logger) { runtime.baseURL.string }
        logger.notice("redirecting http://\(host):\(redirectPort) to https")
        try await ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app, redirect] + app.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }

    /// Writes `url` to the port file, atomically so a reader never sees half of it.
    public func announce(_ url: String) {
        guard let portFile else { return }
        do {
            try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
        } catch {
            logger.error("cannot write the port file \(portFile): \(error)")
        }
    }
}
