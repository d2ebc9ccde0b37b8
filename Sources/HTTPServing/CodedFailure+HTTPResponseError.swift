public import Hummingbird
public import IdentityCore
import Foundation

/// Every module's error answers for itself when no route or middleware of ours answered
/// it first (the mocks' control endpoints, a route without an error page): the status the
/// catalogue gives its code and a JSON body — the code, the public message, the request
/// field and value at fault — instead of Hummingbird's bare 500. The detail is added only
/// where the area says it may be shown (`ErrorArea.detailIsPublic`: the mocks).
extension CodedFailure: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.status) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.body(self))))
    }

    /// `{"error": code, "message": …, "field": …, "value": …}` with sorted keys.
    static func body(_ error: Self) -> Data {
        var fields = ["error": error.code.rawValue, "message": error.code.message]
        if let field = error.field { fields["field"] = field }
        if let value = error.value { fields["value"] = value }
        if Area.detailIsPublic { fields["detail"] = error.detail }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)) ?? Data()
    }
}
