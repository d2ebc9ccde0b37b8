import Foundation
import Hummingbird
import IdentityCore
import SCIM

/// One SCIM operation's outcome before it is an HTTP response: a Bulk request reports
/// several in one answer.
struct SCIMResult {
    var status: HTTPResponse.Status
    var resource: SCIMValue?
    var etag: String?
    var location: String?

    init(status: HTTPResponse.Status, resource: SCIMValue? = nil, etag: String? = nil, location: String? = nil) {
        self.status = status
        self.resource = resource
        self.etag = etag
        self.location = location
    }

    func response() throws -> Response {
        guard let resource else { return Response(status: status) }
        var response = try SCIMHTTP.answer(resource, etag: etag, status: status)
        if let location { response.headers[.location] = location }
        return response
    }
}

/// SCIM's media type, answers, bodies and search requests.
enum SCIMHTTP {
    static let mediaType = "application/scim+json"

    static func answer(_ value: SCIMValue, etag: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers: HTTPFields = [.contentType: mediaType]
        if let etag { headers[.eTag] = etag }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText(spaced: true))))
    }

    /// The JSON body (`application/scim+json` or `application/json`), at most 1 MiB.
    static func body(_ request: inout Request, limit: Int = 1024 * 1024) async throws -> SCIMValue {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == mediaType || type == "application/json" else {
            throw SCIMError(.scimInvalidSyntax, field: "Content-Type", value: request.headers[.contentType], detail: "send \(mediaType)")
        }
        let bytes = try await FormBody.collect(&request, limit: limit)
        guard let value = SCIMValue.parsing(Data(buffer: bytes)) else {
            throw SCIMError(.scimInvalidSyntax, detail: "the body is not JSON")
        }
        return value
    }

    /// A SearchRequest (RFC 7644 §3.4.3) as the query parameters it stands for.
    static func searchParameters(_ body: SCIMValue) throws -> [String: String] {
        guard case .array(let declared)? = body.member("schemas"), declared.contains(.string(SCIMSchemaURN.searchRequest)) else {
            throw SCIMError(.scimInvalidSyntax, field: "schemas", detail: "a search names \(SCIMSchemaURN.searchRequest)")
        }
        var parameters = [String: String]()
        for name in ["filter", "sortBy", "sortOrder"] { if let value = body.member(name)?.stringValue { parameters[name] = value } }
        for name in ["startIndex", "count"] {
            guard case .number(let n)? = body.member(name) else { continue }
            // magnitude, not abs: abs(Int.min) traps.
            guard let integer = Int(exactly: n.rounded(.towardZero)), integer.magnitude < 1 << 31 else {
                throw SCIMError(.scimInvalidValue, field: name, detail: "\(name) is an integer")
            }
            parameters[name] = String(integer)
        }
        for name in ["attributes", "excludedAttributes"] {
            if case .array(let items)? = body.member(name) { parameters[name] = items.compactMap(\.stringValue).joined(separator: ",") }
        }
        return parameters
    }
}
