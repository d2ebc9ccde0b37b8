import Hummingbird
import IdentityCore

extension Request {
    /// The request's `Authorization: Basic` credentials as sent (RFC 7617), if any.
    var basicCredentials: BasicCredentials? {
        headers[.authorization].flatMap(BasicCredentials.init(authorization:))
    }

    /// Whether it presents Basic credentials at all, well-formed or not.
    var usesBasicAuthorization: Bool {
        headers[.authorization].map(BasicCredentials.isBasic) ?? false
    }
}
