public import Hummingbird
public import HTTPServing
import Provisioning
import Logging
import NIOCore

/// Builds the server's HTTP application.
public enum IdentityServerApplication {
    /// The router with every route collection and middleware; `tls` when it is served
    /// over TLS (HSTS).
    public static func router(_ runtime: ServerRuntime, tls: Bool = false) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: ForwardedClientMiddleware(limits: runtime.settings.http))
        router.add(middleware: SecurityHeadersMiddleware())
        if tls { router.add(middleware: StrictTransportSecurityMiddleware()) }
        router.add(middleware: ErrorPageMiddleware(runtime: runtime))
        router.get("/health") { _, _ in "ok" }
        let responder = FlowResponder(
            runtime: runtime,
            protocols: [SAMLFlowResponder(runtime: runtime), OIDCFlowResponder(runtime: runtime), DeviceFlowResponder(runtime: runtime)])
        SAMLRoutes(runtime: runtime).addRoutes(to: router)
        OIDCRoutes(runtime: runtime).addRoutes(to: router)
        DeviceRoutes(runtime: runtime).addRoutes(to: router)
        LogoutRoutes(runtime: runtime).addRoutes(to: router)
        SelfServiceConsentRoutes(runtime: runtime).addRoutes(to: router)
        AssociationRoutes(runtime: runtime).addRoutes(to: router)
        SessionRoutes(runtime: runtime).addRoutes(to: router)
        LoginRoutes(runtime: runtime, responder: responder).addRoutes(to: router)
        AdminRoutes(runtime: runtime).addRoutes(to: router)
        SCIMRoutes(runtime: runtime).addRoutes(to: router)
        return router
    }

    /// An application listening on `host:port` (port 0 picks a free one); once it
    /// listens, the bound address becomes the base URL unless one was configured, and
    /// `onListening` hears the URL.
    public static func application(
        _ runtime: ServerRuntime, host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: TrafficTap.responder(router(runtime, tls: tls != nil).buildResponder(), tap: tap),
            server: runtime.settings.http.server(tls: tls),
            configuration: runtime.settings.http.configuration(address: .hostname(host, port: port), serverName: "identity-server"),
            // PR-2: queued provisioning is delivered beside the server, for its lifetime.
            services: [ProvisioningWorker(provisioner: runtime.provisioner)],
            onServerRunning: { channel in
                // `onListening` hears where this process listens; the public base URL
                // (server.yaml `baseURL`, when set) may be a proxy in front of it.
                let bound = HTTPLimits.url(host: host, port: channel.localAddress?.port ?? port, tls: tls)
                runtime.baseURL.learn(bound)
                await onListening(bound)
            }, logger: runtime.logger)
    }
}

extension IdentityServerApplication {
    /// Runs a server inside this process on a free loopback port (scenarios, tests).
    public static func startInProcess(
        _ runtime: ServerRuntime, host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil
    ) async throws -> InProcessServer {
        try await InProcessServer.start(logger: runtime.logger) { onListening in
            application(runtime, host: host, port: port, tls: tls, tap: tap, onListening: onListening)
        }
    }
}
