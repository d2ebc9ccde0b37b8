import Foundation
import HTTPServing
import Hummingbird
import Synchronization

/// An identity provider's back channel on a loopback port whose every answer a test
/// sets: the connectors are tested over real HTTP, against answers no mock IdP gives.
final class FakeUpstream: Sendable {
    struct Answer: Sendable {
        var status: HTTPResponse.Status = .ok
        var json: String
    }

    /// What the handlers read and write, apart from the server they run in.
    final class Book: Sendable {
        let answers = Mutex<[String: Answer]>([:])
        let calls = Mutex<[String]>([])
    }

    private let book = Book()
    private let server: InProcessServer
    var baseURL: String { server.baseURL }

    static let paths = ["/token", "/jwks", "/userinfo"]

    init() async throws {
        let book = self.book
        let router = Router()
        for path in Self.paths {
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                book.calls.withLock { $0.append(request.uri.path) }
                let answer = book.answers.withLock { $0[request.uri.path] } ?? Answer(status: .notFound, json: "{}")
                return Response(
                    status: answer.status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: answer.json)))
            }
            router.get(RouterPath(path), use: handler)
            router.post(RouterPath(path), use: handler)
        }
        server = try await InProcessServer.start { onListening in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await onListening("http://127.0.0.1:\(channel.localAddress?.port ?? 0)") })
        }
    }

    func answer(_ path: String, _ json: String, status: HTTPResponse.Status = .ok) {
        book.answers.withLock { $0[path] = Answer(status: status, json: json) }
    }

    /// The paths asked for so far, in order.
    var requested: [String] { book.calls.withLock { $0 } }

    func stop() async { await server.stop() }
}
