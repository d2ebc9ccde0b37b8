import Crypto
import Foundation
public import Hummingbird
public import IdentityCore

/// The JSON APIs' answers — admin, self-service, test control: records pretty-printed
/// with sorted keys, refusals with the catalogue's status, and Basic challenges.
public enum JSONAnswer {
    public static func value<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// `{"error", "detail", "field", "value"}` with the code's status. These APIs answer
    /// the operator and the account holder, who are told the detail.
    public static func error(_ error: any CodedError) throws -> Response {
        var body = ["error": error.code.rawValue, "detail": error.detail]
        if let field = error.field { body["field"] = field }
        if let value = error.value { body["value"] = value }
        return try value(body, status: HTTPResponse.Status(code: error.code.status))
    }

    /// 401 `request.unauthorized` with a Basic challenge for `realm` (RFC 7617).
    public static func challenge(realm: String, detail: String) throws -> Response {
        var response = try error(RequestError(.requestUnauthorized, detail: detail))
        response.headers[.wwwAuthenticate] = "Basic realm=\"\(realm)\""
        return response
    }
}

extension ServerSettings.AdminCredentials {
    /// Whether `request` carries these Basic credentials. Digests of equal length, both
    /// compared every time: timing tells neither which part failed nor how long the
    /// secrets are.
    public func match(_ request: Request) -> Bool {
        let credentials = request.basicCredentials
        let usernameMatches = ConstantTime.equals(Self.digest(credentials?.username ?? ""), Self.digest(username))
        let passwordMatches = ConstantTime.equals(Self.digest(credentials?.password ?? ""), Self.digest(password))
        return credentials != nil && usernameMatches && passwordMatches
    }

    static func digest(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(text.utf8)))
    }
}
