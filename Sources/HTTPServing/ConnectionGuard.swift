public import Hummingbird
public import HummingbirdCore
import HummingbirdHTTP2
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// What a client may take of a server's connections, so that slow or idle clients cannot
/// hold it (a request that declares 10 MB and sends 2 bytes, half a header, an idle
/// socket — thousands of them from one host). Every party the project runs — the
/// identity server and the mocks — listens with these. In the server's `server.yaml`:
/// `http: { headerTimeoutSeconds, idleTimeoutSeconds, bodyTimeoutSeconds,
/// connectionsPerAddress, maximumConnections, trustedProxies }`.
public struct HTTPLimits: Decodable, Sendable, Equatable {
    /// From the connection's start to a complete request head (half a header is dropped).
    public var headerTimeout: Duration
    /// Between a response and the next request's head on a kept-alive connection.
    public var idleTimeout: Duration
    /// From a request's head to the end of its body.
    public var bodyTimeout: Duration
    /// A request that declares a longer body is answered 413 before any of it is read.
    /// The largest body any route reads (a 1 MiB admin document or form).
    public var maximumBodyBytes: Int
    /// Open connections from one client address; more are closed as they arrive.
    public var connectionsPerAddress: Int
    /// Open connections in all; past this the server stops accepting until some close.
    public var maximumConnections: Int
    /// Load balancers whose `X-Forwarded-For` names the client (``clientAddress(peer:forwardedFor:)``);
    /// their connections carry many clients, so they count only against `maximumConnections`.
    public var trustedProxies: Set<String>

    public init(
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), bodyTimeout: Duration = .seconds(30),
        maximumBodyBytes: Int = 1024 * 1024, connectionsPerAddress: Int = 64, maximumConnections: Int = 4096, trustedProxies: Set<String> = []
    ) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maximumBodyBytes = maximumBodyBytes
        self.connectionsPerAddress = connectionsPerAddress
        self.maximumConnections = maximumConnections
        self.trustedProxies = trustedProxies
    }

    public static let standard = HTTPLimits()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case headerTimeoutSeconds, idleTimeoutSeconds, bodyTimeoutSeconds, connectionsPerAddress, maximumConnections, trustedProxies
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        func seconds(_ key: CodingKeys, _ fallback: Duration) throws -> Duration {
            try c.decodeIfPresent(Int.self, forKey: key).map { .seconds($0) } ?? fallback
        }
        self.init(
            headerTimeout: try seconds(.headerTimeoutSeconds, d.headerTimeout), idleTimeout: try seconds(.idleTimeoutSeconds, d.idleTimeout),
            bodyTimeout: try seconds(.bodyTimeoutSeconds, d.bodyTimeout),
            connectionsPerAddress: try c.decodeIfPresent(Int.self, forKey: .connectionsPerAddress) ?? d.connectionsPerAddress,
            maximumConnections: try c.decodeIfPresent(Int.self, forKey: .maximumConnections) ?? d.maximumConnections,
            trustedProxies: Set(try c.decodeIfPresent([String].self, forKey: .trustedProxies) ?? []))
        for proxy in trustedProxies where !Self.looksLikeAddress(proxy) {
            throw DecodingError.dataCorruptedError(
                forKey: .trustedProxies, in: c, debugDescription: "'\(proxy)' is not an IP address: trustedProxies lists addresses, not names or ranges")
        }
    }

    /// A server with these limits: one ``ConnectionGuard`` per connection, all sharing one
    /// count of connections per address. Plain HTTP/1.1; with `tls`, HTTPS offering HTTP/2
    /// and HTTP/1.1 by ALPN — each HTTP/2 stream is guarded as a connection is (its head,
    /// body and the number open from one address), and an HTTP/2 connection without
    /// streams closes after the idle timeout.
    /// (``ServerTLS`` made a TLS context of its chain and key when it was read, so a
    /// configuration NIOSSL cannot use has already failed the start.)
    public func server(tls: ServerTLS? = nil) -> HTTPServerBuilder {
        guard let tls else { return plainServer() }
        let (configuration, streams, timeout) = (tls.configuration, guarded(), headerTimeout)
        let upgrade = HTTP2ChannelConfiguration(idleTimeout: idleTimeout, streamConfiguration: streams)
        return HTTPServerBuilder { responder in
            TLSHandshakeDeadline.Channel(
                inner: try HTTP2UpgradeChannel(tlsConfiguration: configuration, configuration: upgrade, responder: responder), timeout: timeout)
        }
    }

    /// The plain HTTP/1.1 server with these limits.
    public func plainServer() -> HTTPServerBuilder {
        .http1(configuration: guarded())
    }

    /// One guard per connection, every guard of one server sharing one count.
    private func guarded() -> HTTP1Channel.Configuration {
        let counts = ConnectionCounts()
        let limits = self
        return HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionGuard(limits: limits, counts: counts)])
    }

    /// The URL of a server listening on `host` at `port`: `https` when it serves `tls`; an
    /// IPv6 address in brackets (RFC 3986 §3.2.2).
    public static func url(host: String, port: Int, tls: ServerTLS?) -> String {
        url(host: host, port: port, https: tls != nil)
    }

    /// The same, when only whether it will serve TLS is known (before the certificate is read).
    public static func url(host: String, port: Int, https: Bool) -> String {
        "\(https ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The server configuration with the overall connection limit.
    public func configuration(address: BindAddress, serverName: String) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: address, serverName: serverName,
            availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections))
    }
}

/// Open connections per client address, shared by every connection of one server.
final class ConnectionCounts: Sendable {
    private let open = Mutex<[String: Int]>([:])

    /// Counts a new connection from `address`, unless that address already has `limit`.
    func admit(_ address: String, limit: Int) -> Bool {
        open.withLock { open in
            let count = open[address, default: 0]
            guard count < limit else { return false }
            open[address] = count + 1
            return true
        }
    }

    func release(_ address: String) {
        open.withLock { open in
            let count = open[address, default: 0] - 1
            open[address] = count > 0 ? count : nil
        }
    }
}

/// One connection's guard: admits it by its address's count, closes it when a request
/// head or body does not arrive in time or it idles too long between requests, and
/// answers 413 to a declared body over the limit before reading it.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: HTTPLimits
    private let counts: ConnectionCounts
    private var admittedAddress: String?
    private var deadline: Scheduled<Void>?
    /// Set once the connection is refused or timed out: nothing more is passed on.
    private var closing = false
    /// Requests whose responses have not ended yet (more than one when pipelined).
    private var awaitingResponses = 0

    init(limits: HTTPLimits, counts: ConnectionCounts) {
        self.limits = limits
        self.counts = counts
    }

    /// Over TLS the HTTP handlers are added once the handshake has chosen the protocol, on
    /// a connection already active: no `channelActive` follows, so the guard starts here.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if admittedAddress == nil, !closing { admit(context) }
        if !closing { context.fireChannelActive() }
    }

    /// Counts the connection against its address, or closes it; then waits for a head.
    private func admit(_ context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard limits.trustedProxies.contains(address) || counts.admit(address, limit: limits.connectionsPerAddress) else {
            closing = true
            context.close(promise: nil)
            return
        }
        admittedAddress = address
        arm(context, limits.headerTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        if let address = admittedAddress {
            counts.release(address)
            admittedAddress = nil
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            disarm()
            awaitingResponses += 1
            if let declared = head.headerFields[.contentLength].flatMap(Int.init), declared > limits.maximumBodyBytes {
                refuseOversizedBody(context)
                return
            }
            if Self.hasBody(head) { arm(context, limits.bodyTimeout) }
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), awaitingResponses > 0 {
            awaitingResponses -= 1
            // The next request (kept alive) must come within the idle timeout.
            if awaitingResponses == 0, !closing { arm(context, limits.idleTimeout) }
        }
        context.write(data, promise: promise)
    }

    private static func hasBody(_ head: HTTPRequest) -> Bool {
        if let length = head.headerFields[.contentLength].flatMap(Int.init) { return length > 0 }
        return head.headerFields[.transferEncoding] != nil
    }

    /// 413 and close, without reading the body: the request never reaches the application.
    private func refuseOversizedBody(_ context: ChannelHandlerContext) {
        closing = true
        let body = ByteBuffer(string: "request.too_large: the declared body exceeds \(limits.maximumBodyBytes) bytes\n")
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        // An HTTP/2 stream (a child of the connection's channel) may not carry
        // connection-specific fields (RFC 9113 §8.2.2); closing the stream is enough there.
        if context.channel.parent == nil { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .contentTooLarge, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration) {
        disarm()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let (handler, context) = loopBound.value
            handler.closing = true
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
