public import Hummingbird
import NIOCore
import Synchronization

/// One back-channel HTTP exchange a party received: who called (by User-Agent), what was
/// asked, and what was answered — for the harness's sequence diagrams, never for vectors.
///
/// Bodies are kept up to ``TrafficTap/bodyLimit`` bytes, with form fields that carry
/// secrets (`client_secret`, `password`, `client_assertion` …) blanked by the report
/// before anything is written; the Authorization header is never recorded.
public final class TrafficExchange: Sendable {
    public let started: ContinuousClock.Instant
    /// The party that received it (`server`, `idp`, …).
    public let receiver: String
    /// The caller's User-Agent.
    public let caller: String
    public let method: String
    /// Path and query.
    public let target: String
    public let requestContentType: String?
    public let requestBody: String?
    private let answer = Mutex<(status: Int, contentType: String?, body: [UInt8])>((0, nil, []))

    init(receiver: String, caller: String, method: String, target: String, requestContentType: String?, requestBody: String?) {
        self.started = .now
        self.receiver = receiver
        self.caller = caller
        self.method = method
        self.target = target
        self.requestContentType = requestContentType
        self.requestBody = requestBody
    }

    public var status: Int { answer.withLock { $0.status } }
    public var responseContentType: String? { answer.withLock { $0.contentType } }
    public var responseBody: String { answer.withLock { String(decoding: $0.body, as: UTF8.self) } }

    func answered(status: Int, contentType: String?) {
        answer.withLock { $0.status = status; $0.contentType = contentType }
    }

    func append(_ buffer: ByteBuffer, limit: Int) {
        answer.withLock { state in
            let room = limit - state.body.count
            guard room > 0 else { return }
            state.body += buffer.getBytes(at: buffer.readerIndex, length: min(room, buffer.readableBytes)) ?? []
        }
    }
}

/// Every exchange the parties of one scenario received, in the order they started.
public final class TrafficLog: Sendable {
    private let exchanges = Mutex<[TrafficExchange]>([])

    public init() {}

    func add(_ exchange: TrafficExchange) {
        exchanges.withLock { $0.append(exchange) }
    }

    public var all: [TrafficExchange] {
        exchanges.withLock { $0 }.sorted { $0.started < $1.started }
    }
}

/// Records what a party receives from anyone but the harness's browser (whose hops the
/// browser records itself, with the cookies): the back channel between SP, server and
/// IdP that a browser never sees.
public struct TrafficTap: Sendable {
    /// The User-Agent of the harness's browser.
    public static let browserUserAgent = "identity-harness-browser"
    public static let bodyLimit = 64 * 1024

    public let receiver: String
    public let log: TrafficLog

    public init(receiver: String, log: TrafficLog) {
        self.receiver = receiver
        self.log = log
    }

    /// `responder`, recording each non-browser exchange into `tap`'s log when there is a
    /// tap (one type either way, so an application's type does not depend on it).
    public static func responder<Responder: HTTPResponder>(_ responder: Responder, tap: TrafficTap?) -> some HTTPResponder<Responder.Context> {
        TappedResponder(inner: responder, tap: tap)
    }
}

struct TappedResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner
    let tap: TrafficTap?

    /// Bodies are collected up to this size to be recorded (their first
    /// ``TrafficTap/bodyLimit`` bytes); the route applies its own, smaller limits.
    static var collectLimit: Int { 8 * 1024 * 1024 }

    func respond(to request: Request, context: Context) async throws -> Response {
        // Without a tap (every real deployment) nothing is read or copied.
        guard let tap else { return try await inner.respond(to: request, context: context) }
        let caller = request.headers[.userAgent] ?? "unknown client"
        guard caller != TrafficTap.browserUserAgent else { return try await inner.respond(to: request, context: context) }
        var request = request
        let contentType = request.headers[.contentType]
        let buffer = try await request.collectBody(upTo: Self.collectLimit)
        let body = buffer.readableBytes == 0 ? nil : String(decoding: buffer.readableBytesView.prefix(TrafficTap.bodyLimit), as: UTF8.self)
        let exchange = TrafficExchange(
            receiver: tap.receiver, caller: caller, method: request.method.rawValue, target: request.uri.description,
            requestContentType: contentType, requestBody: body)
        tap.log.add(exchange)
        do {
            var response = try await inner.respond(to: request, context: context)
            exchange.answered(status: response.status.code, contentType: response.headers[.contentType])
            let original = response.body
            response.body = ResponseBody(contentLength: original.contentLength) { writer in
                try await original.write(writer.map { buffer in
                    exchange.append(buffer, limit: TrafficTap.bodyLimit)
                    return buffer
                })
            }
            return response
        } catch let error as any HTTPResponseError {
            exchange.answered(status: error.status.code, contentType: nil)
            throw error
        } catch {
            exchange.answered(status: 500, contentType: nil)
            throw error
        }
    }
}
