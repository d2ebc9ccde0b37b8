import Hummingbird
import IdentityCore
import IdentityStorage
import Logging

/// Maps any error thrown by a browser-facing handler to an error page: a coded error shows
/// its code, the request field and value, and the catalogue's public message with its
/// status; anything else is logged in full and shown as `server.internal_error`, so no
/// internal detail reaches the browser.
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let runtime: ServerRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any CodedError {
            runtime.logRefusal(error, of: request)
            return runtime.pages.error(error, status: Self.status(for: error.code))
        } catch let error as HTTPError {
            throw error
        } catch {
            runtime.logger.error("internal error on \(request.method) \(request.uri.path): \(error)")
            return runtime.pages.error(RequestError(.serverInternalError, detail: "internal error"), status: .internalServerError)
        }
    }

    static func status(for code: ErrorCode) -> HTTPResponse.Status {
        HTTPResponse.Status(code: code.status)
    }
}
