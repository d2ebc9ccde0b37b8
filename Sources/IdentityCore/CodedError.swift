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
public protocol ErrorArea: Sendable {
    /// The code areas (`saml`) this module's errors are made with; another module's code
    /// travels only through `CodedFailure(carrying:)`, so a code always says which module
    /// refused.
    static var codeAreas: Set<String> { get }
    /// Whether the detail may be sent to whoever made the request. False for everything
    /// the server answers (the detail goes to its log); the mocks, tools a developer
    /// drives, say which values they would have taken.
    static var detailIsPublic: Bool { get }
}

extension ErrorArea {
    public static var detailIsPublic: Bool { false }
}

/// A module's error: a stable code, optionally the request field and value, and a detail.
/// Equal when the codes are equal.
public struct CodedFailure<Area: ErrorArea>: CodedError, Equatable {
    public let code: ErrorCode
    public let field: String?
    public let value: String?
    public let detail: String

    public init(_ code: ErrorCode, field: String? = nil, value: String? = nil, detail: String) {
        assert(Area.codeAreas.contains(String(code.area)), "\(code) is not a code of \(Area.self); carry it with init(carrying:)")
        self.code = code
        self.field = field
        self.value = value
        self.detail = detail
    }

    /// Carries another module's code that arrived without its error (a signature status
    /// naming `xmldsig.untrusted_key`).
    public init(carrying code: ErrorCode, field: String? = nil, value: String? = nil, detail: String) {
        self.code = code
        self.field = field
        self.value = value
        self.detail = detail
    }

    /// Carries another module's error through with its own code (an XML error surfacing
    /// from the SAML layer keeps `xml.dtd_forbidden`).
    public init(carrying error: any CodedError) {
        self.code = error.code
        self.field = error.field
        self.value = error.value
        self.detail = error.detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}

public enum CoreArea: ErrorArea {
    public static let codeAreas: Set<String> = ["sp", "idp", "user"]
}
/// Errors of the core rules (names, identifiers, settings that are wrong in themselves).
public typealias IdentityError = CodedFailure<CoreArea>
