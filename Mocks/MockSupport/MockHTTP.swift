import Foundation
import Hummingbird
import HTTPServing
import IdentityCore
import Logging
import Synchronization

/// The URL a mock listens on, known once it is listening.
final class ListeningAddress: Sendable {
    private let value = Mutex<(url: String?, pinned: Bool, listening: String?)>((nil, false, nil))
    /// The URL others reach it at: the pinned public URL, else where it listens.
    var url: String { value.withLock { $0.url ?? "" } }
    /// Where it listens, whatever was pinned: how it reaches itself.
    var listening: String { value.withLock { $0.listening ?? $0.url ?? "" } }
    func set(_ url: String) {
        value.withLock { state in
            state.listening = url
            if !state.pinned { state.url = url }
        }
    }
    /// The URL others reach it at, when that is not the one it listens on (a container
    /// listening on 0.0.0.0 behind a published port, a reverse proxy).
    func pin(_ url: String) { value.withLock { $0.url = url; $0.pinned = true } }
}

/// What the mock parties share over HTTP: their application set-up on a host and port,
/// and their HTML and JSON answers.
enum MockHTTP {
    /// An application serving `router` that learns its own URL once it listens; slow
    /// and idle clients are bounded as the identity server bounds them (`HTTPLimits`).
    /// With `tls` it serves HTTPS (HTTP/2 and HTTP/1.1) and sends HSTS, as the server does.
    static func application(
        router: Router<BasicRequestContext>, serverName: String, host: String, port: Int, tls: ServerTLS? = nil, logger: Logger,
        address: ListeningAddress, tap: TrafficTap? = nil, onListening: @escaping @Sendable (String) async -> Void
    ) -> some ApplicationProtocol {
        return Application(
            responder: TrafficTap.responder(MockEdgeResponder(inner: router.buildResponder(), hsts: tls != nil), tap: tap),
            server: HTTPLimits.standard.server(tls: tls),
            configuration: HTTPLimits.standard.configuration(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in
                let url = HTTPLimits.url(host: host, port: channel.localAddress?.port ?? port, tls: tls)
                address.set(url)
                await onListening(url)
            }, logger: logger)
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A minimal page of kind `kind` (the `ih-page` a scenario expects).
    static func page(_ kind: String, title: String, _ body: String) -> Response {
        html(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"ih-page\" content=\"\(kind)\"><title>\(title)</title></head>"
                + "<body>\(body)</body></html>")
    }

    /// One value of a control request: a form field, or a key of a JSON object. nil when
    /// a JSON body is not an object of strings.
    static func formOrJSONValue(_ body: String, key: String, json: Bool) -> String? {
        guard json else { return URLEncoding.pairs(body).first { $0.name == key }?.value ?? "" }
        guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(body.utf8)) else { return nil }
        return decoded[key] ?? ""
    }

    /// A form body's fields (the first of a repeated name), read up to `limit` bytes.
    static func form(_ request: Request, limit: Int = 64 * 1024) async throws -> [String: String] {
        var request = request
        return fields(String(buffer: try await request.collectBody(upTo: limit)))
    }

    /// A request's query parameters, the first of a repeated name.
    static func query(_ request: Request) -> [String: String] {
        fields(request.uri.query ?? "")
    }

    /// Form-encoded fields (a body or a query), the first of a repeated name.
    static func fields(_ text: String) -> [String: String] {
        Dictionary(URLEncoding.pairs(text).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

extension Response {
    func with(status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}

/// What wraps every mock's routes: an unexpected error (not a coded one) answered as
/// `mock.internal_error` JSON saying what failed, since a mock is a developer's tool;
/// and, when serving TLS, HSTS as the server sends it. Around the built router rather
/// than added to it as middleware: a router's middleware wraps only the routes added
/// after it.
struct MockEdgeResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: RequestContext {
    typealias Context = Inner.Context
    let inner: Inner
    let hsts: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        let response: Response
        do {
            response = try await inner.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            response = try MockHTTP.json(["error": ErrorCode.mockInternalError.rawValue, "message": "\(error)"]).with(status: .internalServerError)
        }
        return hsts ? StrictTransportSecurity.added(to: response, for: request) : response
    }
}
