public import Hummingbird
public import NIOCore

/// The server's request context: Hummingbird's basic one plus the client's address, which
/// the per-address limit on password checks (AU-7) counts by. It is the TCP peer; behind
/// a proxy every client shares the proxy's address.
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension RemoteAddressRequestContext {
    /// The client's IP address, if known.
    var clientAddress: String? { remoteAddress?.ipAddress }
}
