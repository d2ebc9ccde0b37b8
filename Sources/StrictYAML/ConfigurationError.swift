public import IdentityCore

/// A configuration document (YAML file, or JSON body of the admin API) that was refused:
/// where (file, line, column, key path) and why.
public struct ConfigurationError: CodedError, Equatable {
    public let code: ErrorCode
    public let file: String
    public let line: Int?
    public let column: Int?
    /// Dotted key path, e.g. `saml.acsURLs[1]`.
    public let path: String
    public let reason: String

    public init(_ code: ErrorCode, file: String, line: Int?, column: Int?, path: String, reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.reason = reason
    }

    public var field: String? { path.isEmpty ? nil : path }
    public var value: String? { nil }

    /// `file:line:column: reason (at path)`, the form editors and terminals link.
    public var detail: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(location): \(reason)" + (path.isEmpty ? "" : " (at \(path))")
    }

    public var description: String { "[\(code)] \(detail)" }

    public static func == (lhs: ConfigurationError, rhs: ConfigurationError) -> Bool { lhs.code == rhs.code }
}
