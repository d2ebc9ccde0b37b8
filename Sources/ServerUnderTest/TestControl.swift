public import Foundation
public import HTTPServing
public import Hummingbird
public import OutboundHTTP
import IdentityCore
import Provisioning
public import IdentityServer
public import Logging
public import StrictYAML
import Synchronization

/// `identity-server-test --test-control PORT`: the hook that makes a separately started server
/// a deterministic conformance target for the harness (`harness run --target`). A second
/// listener (admin Basic credentials required) swaps the whole server for a fresh one per
/// scenario — empty SQLite in memory, the scenario's fixed clock and seeded random source,
/// its settings changes — on the same host and port, and moves that clock forward when a
/// scenario does. TEST ONLY: it refuses to run with a database file, so no real data can
/// be wiped by it.
///
/// - `POST /reset` `{"time": ISO 8601, "seed": "<unsigned 64-bit>", "settings": {…}?}` → 204
///   once the fresh server listens.
/// - `POST /clock` `{"advance": seconds}` → 204.
public actor TestControl {
    let factory: ScenarioServer
    let host: String
    /// 0 until the first server binds, when the kernel picks one with `--port 0`; every
    /// later reset binds the same port, so the harness's target URL stays valid.
    private var port: Int
    let admin: ServerSettings.AdminCredentials
    let logger: Logger
    /// The scenario server's listener, started at the first reset and kept: a reset swaps
    /// what answers behind it, so the harness's kept-alive connections and the port outlive
    /// resets (stopping and rebinding raced the client's next request on a closing
    /// connection, and left the port free for a moment).
    private var listener: InProcessServer?
    private let responder = SwappableResponder()
    private var clock = FixedWallClock(Date())
    /// The outbound provisioning worker of the current runtime (PR-2): the listener's
    /// application is built once, so each reset runs its runtime's worker here, and stops
    /// the one before it.
    private var worker: Task<Void, any Error>?
    /// The scenario server serves HTTPS with this (`--tls`, `--tls-cert`); the control
    /// listener stays plain http on loopback.
    let tls: ServerTLS?
    /// What each scenario server's own calls trust (``ServerLaunch/outboundTrust(_:)``).
    let outbound: OutboundTrust

    /// `factory`: the configuration every scenario server is made from.
    public init(factory: ScenarioServer, host: String, port: Int, tls: ServerTLS? = nil, outbound: OutboundTrust = .system, logger: Logger) throws {
        self.tls = tls
        self.outbound = outbound
        self.factory = factory
        guard let admin = factory.settings.admin else {
            throw RequestError(.adminDisabled, detail: "--test-control needs admin.username and admin.password in server.yaml")
        }
        self.admin = admin
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The first server (now, random seed) until the harness resets it.
    public func start() async throws {
        try await reset(time: Date(), seed: UInt64.random(in: .min ... .max), changes: nil)
    }

    public func reset(time: Date, seed: UInt64, changes: ConfigValue?) async throws {
        // Built first: settings the scenario got wrong leave the running server as it was.
        let clock = FixedWallClock(time)
        let runtime = try await factory.runtime(
            changes: changes, clock: clock, random: SeededRandomSource(seed: seed), admin: admin, logger: logger, outbound: outbound)
        if listener == nil {
            let (host, port, logger, responder, tls) = (host, port, logger, responder, tls)
            let started = try await InProcessServer.start(logger: logger) { onListening in
                Application(
                    responder: responder, server: HTTPLimits.standard.server(tls: tls),
                    configuration: HTTPLimits.standard.configuration(address: .hostname(host, port: port), serverName: "identity-server"),
                    onServerRunning: { channel in await onListening(HTTPLimits.url(host: host, port: channel.localAddress?.port ?? port, tls: tls)) },
                    logger: logger)
            }
            listener = started
            self.port = URLComponents(string: started.baseURL)?.port ?? port
        }
        runtime.baseURL.learn(baseURL)
        responder.swap(to: IdentityServerApplication.router(runtime, tls: tls != nil).buildResponder())
        self.clock = clock
        worker?.cancel()
        let provisioner = runtime.provisioner
        worker = Task { try await ProvisioningWorker(provisioner: provisioner).run() }
    }

    /// Where the scenario server listens (`https` when it serves TLS).
    public var baseURL: String { HTTPLimits.url(host: host, port: port, tls: tls) }

    public func advance(by seconds: Double) {
        clock.advance(by: seconds)
    }

    public func stop() async {
        worker?.cancel()
        worker = nil
        await listener?.stop()
        listener = nil
    }

    /// The control listener's routes.
    public nonisolated func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/reset") { request, _ in
            try await self.guarded(request) { body in
                // JSON is YAML: decoded strictly (unknown fields refused), settings as server.yaml's.
                struct Reset: Decodable {
                    let time: String
                    let seed: String
                    let settings: ConfigValue?
                    enum CodingKeys: String, CodingKey, CaseIterable { case time, seed, settings }
                }
                let reset = try StrictYAML.decode(Reset.self, from: body, file: "reset")
                guard let time = try? Date(reset.time, strategy: .iso8601) else {
                    throw RequestError(.requestMissingField, field: "time", detail: "reset needs an ISO 8601 time")
                }
                guard let seed = UInt64(reset.seed) else {
                    throw RequestError(.requestMissingField, field: "seed", detail: "reset needs the seed as a decimal string")
                }
                try await self.reset(time: time, seed: seed, changes: reset.settings)
            }
        }
        router.post("/clock") { request, _ in
            try await self.guarded(request) { body in
                struct Advance: Decodable {
                    let advance: Double
                    enum CodingKeys: String, CodingKey, CaseIterable { case advance }
                }
                let advance = try StrictYAML.decode(Advance.self, from: body, file: "clock").advance
                guard advance.isFinite, advance >= 0 else {
                    throw RequestError(.requestMissingField, field: "advance", detail: "advance is a number of seconds ≥ 0")
                }
                await self.advance(by: advance)
            }
        }
        return router
    }

    private nonisolated func guarded(_ request: Request, _ action: (Data) async throws -> Void) async throws -> Response {
        guard admin.match(request) else {
            return try JSONAnswer.challenge(realm: "identity-server test control", detail: "admin credentials required")
        }
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        do {
            try await action(Data(buffer: body))
            return Response(status: .noContent)
        } catch let error as any CodedError {
            return try JSONAnswer.error(error)
        }
    }
}

extension TestControl {
    /// Serves `launch`'s configuration as a conformance target: the scenario server on
    /// its host and port, swapped per scenario by the control listener on `controlPort`.
    public static func serve(_ launch: ServerLaunch, controlPort: Int) async throws {
        let factory = try ScenarioServer(configurationDirectory: launch.configuration)
        let asked = launch.tlsSettings(factory.settings)
        let tls = try asked.map { settings throws(TLSError) in try settings.serverTLS(relativeTo: launch.configuration) }
        if launch.httpRedirectPort != nil || asked?.httpRedirectPort != nil {
            // The harness reaches the scenario server at its https URL; a redirect port
            // would only be one more listener to reset.
            launch.logger.warning("a plain port that redirects to https is not served under --test-control")
        }
        let control = try TestControl(
            factory: factory, host: launch.host, port: launch.port, tls: tls, outbound: launch.outboundTrust(factory.settings), logger: launch.logger)
        try await control.start()
        let (host, logger) = (launch.host, launch.logger)
        let app = Application(
            router: control.router(), configuration: .init(address: .hostname(host, port: controlPort), serverName: "identity-server test control"),
            onServerRunning: { _ in
                let url = await control.baseURL
                logger.notice("identity-server-test (TEST CONTROL) on \(url); control on http://\(host):\(controlPort)")
                launch.announce(url)
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

/// Hands each request to the current scenario's router (503 before the first).
final class SwappableResponder: HTTPResponder, Sendable {
    typealias Context = ServerRequestContext
    private let current = Mutex<(any HTTPResponder<ServerRequestContext>)?>(nil)

    func swap(to responder: some HTTPResponder<ServerRequestContext>) {
        current.withLock { $0 = responder }
    }

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        guard let responder = current.withLock({ $0 }) else { throw HTTPError(.serviceUnavailable) }
        return try await responder.respond(to: request, context: context)
    }
}
