public import Hummingbird
import HTTPServing
public import NIOCore

/// The server's request context: Hummingbird's basic one plus the client's address, which
/// the per-address limit on password checks (AU-7) counts by: the TCP peer, or, when the
/// peer is a trusted proxy (`http.trustedProxies`), the address it forwarded
/// (``ForwardedClientMiddleware``).
public struct ServerRequestContext: RequestContext, ClientAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress
    }
}

/// A context that knows whom a request came from.
public protocol ClientAddressRequestContext: RequestContext, RemoteAddressRequestContext {
    /// The client's IP address, if known.
    var clientAddress: String? { get set }
}

/// Puts the client behind a trusted proxy in the context (``HTTPLimits/clientAddress(peer:forwardedFor:)``).
struct ForwardedClientMiddleware<Context: ClientAddressRequestContext>: RouterMiddleware {
    let limits: HTTPLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !limits.trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = limits.clientAddress(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!])
        return try await next(request, context)
    }
}
