import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SAML

/// HTTP shapes of OAuth answers: JSON bodies (never cached, by the security headers),
/// JSON errors with the right status and `WWW-Authenticate`, and redirects that carry
/// parameters in the query or the fragment.
enum OAuthResponses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func error(_ error: OAuthError, basicWasUsed: Bool = false) throws -> Response {
        // The public message, never the detail: that goes to the log.
        let body = ["error": error.error, "error_description": error.code.message]
        var response = try json(body, status: HTTPResponse.Status(code: error.status))
        if error.code == .oauthInvalidClient && basicWasUsed {
            response.headers[.wwwAuthenticate] = "Basic realm=\"oauth2\""
        } else if error.code == .oauthInvalidToken {
            response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
        }
        return response
    }

    /// `302` to `uri` with `parameters` added in the query or the fragment, or — for
    /// `form_post` — a page that posts them to `uri` as it loads (OAuth 2.0 Form Post
    /// Response Mode §2). That page is never cached or framed, allows only its one
    /// submit handler (the security headers), and escapes every value.
    static func redirect(_ response: AuthorizationResponse) -> Response {
        redirect(to: response.redirectURI, response.parameters, mode: response.mode)
    }

    static func redirect(to uri: String, _ parameters: [(String, String?)], mode: String) -> Response {
        if mode == "form_post" {
            let fields = parameters.compactMap { name, value in value.map { (name, $0) } }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: POSTBinding.form(action: uri, fields: fields, kind: "form-post"))))
        }
        let location = mode == "fragment" ? uri + "#" + URLEncoding.query(parameters) : queryLocation(uri, parameters)
        return Response(status: .found, headers: [.location: location])
    }

    /// `uri` with `parameters` added to its query.
    static func queryLocation(_ uri: String, _ parameters: [(String, String?)]) -> String {
        uri + (uri.contains("?") ? "&" : "?") + URLEncoding.query(parameters)
    }
}
