import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Headers every response carries: never cached (pages hold CSRF tokens and SAML
/// messages), never framed, never leaking the URL (which may carry a SAMLRequest) in a
/// Referer, and a CSP that allows only the one inline handler the POST binding page
/// needs (by hash).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        let handler = "document.forms[0].submit()"
        let hash = Data(SHA256.hash(data: Array(handler.utf8))).base64EncodedString()
        return "default-src 'none'; script-src 'unsafe-hashes' 'sha256-\(hash)'; style-src 'unsafe-inline'; "
            + "form-action *; frame-ancestors 'none'; base-uri 'none'"
    }

    let policy = Self.contentSecurityPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = policy
        }
        return response
    }
}
