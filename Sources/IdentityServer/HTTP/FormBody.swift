import Hummingbird
import IdentityCore

/// A URL-encoded form body, read with a size limit and a limit on its number of fields.
struct FormBody {
    static let maximumBytes = 1024 * 1024
    /// No form or query of this server has more than a few dozen fields (a consent page
    /// with every claim of the dialect is the largest); a megabyte of `a&a&a…` is only
    /// work for the server, refused before any of it is decoded.
    static let maximumFields = 256
    let fields: [String: String]
    /// Names that appeared more than once, in order of their second appearance (the first
    /// value is in `fields`).
    var repeated: [String] = []

    subscript(name: String) -> String? { fields[name] }

    /// Reads and decodes the body; the first value of a repeated field wins.
    static func read(_ request: inout Request) async throws -> FormBody {
        let buffer = try await collect(&request, limit: maximumBytes)
        var fields = [String: String]()
        var repeated = [String]()
        var seenTwice = Set<String>()
        for pair in try pairs(String(buffer: buffer)) {
            if fields[pair.name] == nil {
                fields[pair.name] = pair.value
            } else if seenTwice.insert(pair.name).inserted {
                repeated.append(pair.name)
            }
        }
        return FormBody(fields: fields, repeated: repeated)
    }

    /// The request's query, first value of a name winning, under the same field limit as a form.
    static func query(_ request: Request) throws(RequestError) -> [String: String] {
        Dictionary(try pairs(request.uri.query ?? ""), uniquingKeysWith: { first, _ in first })
    }

    /// The name/value pairs of a form body or query string, refused with
    /// `request.too_many_fields` past ``maximumFields``.
    static func pairs(_ text: String) throws(RequestError) -> [(name: String, value: String)] {
        var separators = 0
        for byte in text.utf8 where byte == UInt8(ascii: "&") {
            separators += 1
            if separators >= maximumFields {
                throw RequestError(.requestTooManyFields, detail: "a form or query may carry at most \(maximumFields) fields")
            }
        }
        return URLEncoding.pairs(text).map { ($0.name, $0.value) }
    }

    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw RequestError(.requestTooLarge, detail: "the request body exceeds \(limit) bytes")
        }
    }
}
