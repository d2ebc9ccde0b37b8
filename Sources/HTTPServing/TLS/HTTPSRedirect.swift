public import Hummingbird
public import Logging
import HummingbirdCore

/// The plain-http listener beside an https one (`--http-redirect-port`, `tls:
/// httpRedirectPort`): it serves nothing, and answers every request with 308 to the same
/// path and query on the https base URL — 308, not 301, so a POST stays a POST with its
/// body (RFC 9110 §15.4.9). It sends no HSTS (§7.2 of RFC 6797: never over plain http).
public enum HTTPSRedirect {
    /// Listens on `host:port` with the server's `limits`; `httpsBase` is read per request
    /// (the https listener's address is known only once it listens).
    public static func application(
        host: String, port: Int, limits: HTTPLimits, logger: Logger, httpsBase: @escaping @Sendable () -> String
    ) -> some ApplicationProtocol {
        Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                Response(status: .permanentRedirect, headers: [.location: location(request.uri, base: httpsBase()), .contentLength: "0"])
            },
            server: limits.plainServer(),
            configuration: limits.configuration(address: .hostname(host, port: port), serverName: "https-redirect"),
            logger: logger)
    }

    /// The same path and query under `base`: only those, so a request in absolute form
    /// (`GET http://elsewhere/x`) or a `CONNECT` cannot make the answer point elsewhere.
    static func location(_ uri: URI, base: String) -> String {
        let path = uri.path.hasPrefix("/") ? uri.path : "/"
        return base + path + (uri.query.map { "?" + $0 } ?? "")
    }
}
