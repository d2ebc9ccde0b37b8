import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import Testing
@testable import IdentityServer

/// A failure nobody coded for (a template that does not render, an encoder that throws)
/// is an error page with `server.internal_error` and the catalogue's words: the browser
/// never sees what failed.
@Suite struct UnexpectedFailureTests {
    struct TemplateExploded: Error, CustomStringConvertible {
        var description: String { "template 'consent' failed at line 12: secret-token-123" }
    }

    @Test func anUncodedFailureIsAGeneric500Page() async throws {
        let server = try await TestServer()
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: ErrorPageMiddleware(runtime: server.runtime))
        router.get("/explode") { _, _ -> Response in throw TemplateExploded() }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/explode", method: .get)
            #expect(response.status == .internalServerError)
            #expect(response.errorCode == "server.internal_error")
            #expect(response.text.contains(ErrorCode.serverInternalError.message))
            #expect(!response.text.contains("secret-token-123"))
            #expect(!response.text.contains("failed at line"))
            // …and the operator has all of it.
            #expect(server.log.text.contains("secret-token-123"))
        }
    }
}
