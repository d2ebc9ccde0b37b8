/// A stable, documented error code such as `saml.acs_not_registered`.
///
/// Codes are the contract with users and with recorded vectors: once published, a code
/// keeps its meaning. Each module declares its codes as static members in an extension,
/// prefixed with its area (`xml.`, `xmldsig.`, `saml.`, `auth.`, `config.`, `storage.`).
public struct ErrorCode: Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// The shape every module's error takes: a stable code, optionally the request field and
/// value that caused it (safe to show: they came from the requester), and a detail for
/// logs and scenario observations.
///
/// Equality is on the code only, so tests and callers match on what is stable.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    var code: ErrorCode { get }
    /// The request field at fault (`AssertionConsumerServiceURL`, `name`, …), if any.
    var field: String? { get }
    /// The offending value as received, if it is safe to echo (never a secret).
    var value: String? { get }
    /// What went wrong, in words, for logs and observations.
    var detail: String { get }
}

extension CodedError {
    public var description: String {
        var s = "[\(code)] \(detail)"
        if let field { s += " (field: \(field)" + (value.map { ", value: \($0)" } ?? "") + ")" }
        return s
    }
}

/// Names a module's error area. Each module declares one (`enum SAMLArea: ErrorArea {}`)
/// and its error type is `CodedFailure<ThatArea>` under a name of its own
/// (`typealias SAMLError = CodedFailure<SAMLArea>`): distinct types per module, one
/// implementation for all.
public protocol ErrorArea: Sendable {}

/// A module's error: a stable code, optionally the request field and value, and a detail.
/// Equal when the codes are equal.
public struct CodedFailure<Area: ErrorArea>: CodedError, Equatable {
    public let code: ErrorCode
    public let field: String?
    public let value: String?
    public let detail: String

    public init(_ code: ErrorCode, field: String? = nil, value: String? = nil, detail: String) {
        self.code = code
        self.field = field
        self.value = value
        self.detail = detail
    }

    /// Carries another module's error through with its own code (an XML error surfacing
    /// from the SAML layer keeps `xml.dtd_forbidden`).
    public init(carrying error: any CodedError) {
        self.init(error.code, field: error.field, value: error.value, detail: error.detail)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}

public enum CoreArea: ErrorArea {}
/// Errors of the core rules (names, identifiers, settings that are wrong in themselves).
public typealias IdentityError = CodedFailure<CoreArea>

extension ErrorCode {
    /// SP-1: a service provider name with a character outside letters, digits, `.`, `-`, `_`, space.
    public static let spInvalidName: ErrorCode = "sp.invalid_name"
    /// A service provider setting that contradicts another or itself (e.g. default ACS not listed).
    public static let spInvalidSettings: ErrorCode = "sp.invalid_settings"
    /// An identity provider setting that is missing, malformed or contradicts another.
    public static let idpInvalidSettings: ErrorCode = "idp.invalid_settings"
    /// An identity provider a service provider's sequence still uses cannot be deleted.
    public static let idpInUse: ErrorCode = "idp.in_use"
    /// JIT-7: a JIT-provisioned user's attributes belong to the IdP (enhanced mode).
    public static let userReadOnly: ErrorCode = "user.read_only"
    /// A user identifier that cannot name a user (empty, bad store or tenant).
    public static let userInvalidIdentifier: ErrorCode = "user.invalid_identifier"
    /// A claim value that cannot be stored (control characters XML cannot carry).
    public static let userInvalidClaim: ErrorCode = "user.invalid_claim"
    /// A password against the server's password policy (length; not the username).
    public static let userInvalidPassword: ErrorCode = "user.invalid_password"
}
