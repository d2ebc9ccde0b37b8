public import HummingbirdCore
public import HummingbirdHTTP2
public import Logging
public import NIOCore
import NIOSSL
import NIOTLS

/// Closes a TLS connection whose handshake has not completed within the header timeout.
/// Over plain http the connection guard's header timeout starts when the connection opens;
/// over TLS the guard is added only once the handshake has chosen HTTP/1.1 or HTTP/2, so
/// without this a client that connects and sends nothing (or half a ClientHello) would
/// hold a connection for ever.
final class TLSHandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { arm(context) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Passed on first: the protocol negotiation after this handler waits for it.
        context.fireUserInboundEventTriggered(event)
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            deadline?.cancel()
            deadline = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }

    /// Hummingbird's TLS channel (HTTP/2 and HTTP/1.1 by ALPN) with the deadline placed
    /// right after its TLS handler, where the handshake's completion is seen.
    struct Channel: ServerChildChannel {
        typealias Value = HTTP2UpgradeChannel.Value
        let inner: HTTP2UpgradeChannel
        let timeout: Duration

        func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Value> {
            let upgraded = inner.setup(channel: channel, logger: logger)
            do {
                let tls = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
                try channel.pipeline.syncOperations.addHandler(TLSHandshakeDeadline(timeout: TimeAmount(timeout)), position: .after(tls))
            } catch {
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(error)
            }
            return upgraded
        }

        func handle(value: Value, logger: Logger) async {
            await inner.handle(value: value, logger: logger)
        }
    }
}
