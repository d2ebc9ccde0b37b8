public import Hummingbird
public import Logging

/// The plain-http listener beside an https one (`--http-redirect-port`, `tls:
/// httpRedirectPort`): it serves nothing, and answers every request with 308 to the same
/// path and query on the https base URL — 308, not 301, so a POST stays a POST with its
/// body (RFC 9110 §15.4.9). It sends no HSTS (§7.2 of RFC 6797: never over plain http).
public enum HTTPSRedirect {
    public static func application(
        host: String, port: Int, logger: Logger, httpsBase: @escaping @Sendable () -> String
    ) -> some ApplicationProtocol {
        Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                Response(status: .permanentRedirect, headers: [.location: httpsBase() + request.uri.description, .contentLength: "0"])
            },
            server: HTTPLimits.standard.plainServer(),
            configuration: HTTPLimits.standard.configuration(address: .hostname(host, port: port), serverName: "https-redirect"),
            logger: logger)
    }
}
