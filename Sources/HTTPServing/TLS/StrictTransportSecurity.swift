public import Hummingbird
import HTTPTypes

/// HSTS (RFC 6797) on every answer of a party that serves TLS: a browser that has seen it
/// goes to https by itself for a year, so a person who typed the plain URL is not
/// downgraded. Only over TLS (§7.2), and never to a loopback host: a browser would then
/// refuse plain http to every other development server on `localhost` for that year
/// (ASP.NET Core's HSTS middleware leaves these out for the same reason), and an IP
/// address is ignored by browsers anyway (§8.1.1). No `includeSubDomains`: a party does not
/// know what else runs under its parent domain.
public enum StrictTransportSecurity {
    public static let value = "max-age=31536000"

    /// `response` with the header, when `request` is to a host that gets it.
    public static func added(to response: Response, for request: Request) -> Response {
        guard applies(toAuthority: request.head.authority) else { return response }
        var response = response
        response.headers[.strictTransportSecurity] = value
        return response
    }

    /// Whether a request to `authority` (`host[:port]`) gets the header.
    public static func applies(toAuthority authority: String?) -> Bool {
        guard var host = authority?.lowercased(), !host.isEmpty else { return false }
        if host.hasPrefix("[") {
            host = String(host.dropFirst().prefix { $0 != "]" })
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            host = String(host[..<colon])
        }
        if host.hasSuffix(".") { host.removeLast() }
        if host == "localhost" || host.hasSuffix(".localhost") { return false }
        return IPAddressText(host) == nil
    }
}

/// ``StrictTransportSecurity`` as router middleware (add it before the routes).
public struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    /// Error answers too: an error thrown past this middleware (a 404, a 413) is turned
    /// into its answer here, so that it carries the header.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        return StrictTransportSecurity.added(to: response, for: request)
    }
}
