import Foundation

/// The user ID and password of an `Authorization: Basic` header (RFC 7617): base64 of
/// `id:password`, split at the first colon (a password may hold colons, an ID may not).
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Whether the header uses the Basic scheme at all (its name is case-insensitive,
    /// RFC 7235 §2.1), well-formed or not.
    public static func isBasic(_ header: String) -> Bool { header.lowercased().hasPrefix("basic ") }

    /// Reads a Basic `Authorization` header; nil for another scheme or a malformed value.
    public init?(authorization header: String) {
        guard Self.isBasic(header),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// OAuth clients form-encode both parts before joining them (RFC 6749 §2.3.1): the
    /// client ID and secret as sent, decoded; nil if an escape is malformed.
    public var formDecoded: BasicCredentials? {
        guard let id = URLEncoding.decode(Substring(username)), let secret = URLEncoding.decode(Substring(password)) else { return nil }
        return BasicCredentials(username: id, password: secret)
    }

    /// The header value for these credentials, each part form-encoded first when
    /// `formEncoded` (what an OAuth client sends).
    public func header(formEncoded: Bool = false) -> String {
        let pair = formEncoded ? "\(URLEncoding.encode(username)):\(URLEncoding.encode(password))" : "\(username):\(password)"
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}
