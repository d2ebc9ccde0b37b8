import Hummingbird
import IdentityCore
import SAML

/// A URL-encoded form body, read with a size limit.
struct FormBody {
    static let maximumBytes = 1024 * 1024
    let fields: [String: String]
    /// Names that appeared more than once (the first value is in `fields`).
    var repeated: [String] = []

    subscript(name: String) -> String? { fields[name] }

    /// Reads and decodes the body; the first value of a repeated field wins.
    static func read(_ request: inout Request) async throws -> FormBody {
        let buffer = try await collect(&request, limit: maximumBytes)
        let text = String(buffer: buffer)
        var fields = [String: String]()
        var repeated = [String]()
        for pair in URLEncoding.pairs(text) {
            if fields[pair.name] == nil { fields[pair.name] = pair.value } else if !repeated.contains(pair.name) { repeated.append(pair.name) }
        }
        return FormBody(fields: fields, repeated: repeated)
    }

    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw RequestError(.requestTooLarge, detail: "the request body exceeds \(limit) bytes")
        }
    }
}

/// Problems with the HTTP request itself.
enum RequestArea: ErrorArea {}
typealias RequestError = CodedFailure<RequestArea>

extension ErrorCode {
    static let requestTooLarge: ErrorCode = "request.too_large"
    static let requestMissingField: ErrorCode = "request.missing_field"
    static let requestCSRFInvalid: ErrorCode = "request.csrf_invalid"
    static let requestUnsupportedMediaType: ErrorCode = "request.unsupported_media_type"
    static let requestUnauthorized: ErrorCode = "request.unauthorized"
    static let serverInternalError: ErrorCode = "server.internal_error"
    static let adminDisabled: ErrorCode = "admin.disabled"
}
