public import Foundation
public import IdentityCore

/// `{name}` and `{file:relative/path}` in profile and scenario strings.
///
/// `{server}`, `{sp}`, `{<alias>}` become the base URLs of the parties of a run, so a
/// profile can name URLs before any port is known; `{file:…}` inlines a file (a PEM
/// certificate) relative to the document that names it.
public struct Placeholders: Sendable {
    public var values: [String: String]
    public var baseDirectory: URL
    /// Refuse `{name}` for a name that is not known (scenario text, where a misspelt
    /// party would otherwise make a check compare against a literal that never matches).
    public var strict: Bool

    public init(values: [String: String], baseDirectory: URL, strict: Bool = false) {
        self.values = values
        self.baseDirectory = baseDirectory
        self.strict = strict
    }

    public func substitute(_ text: String) throws -> String {
        // In a `regexp=` callback a substituted URL is literal text: its dots must not
        // become wildcards.
        let isPattern = text.hasPrefix("regexp=")
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                result += rest[open...]
                return result
            }
            let name = String(rest[rest.index(after: open)..<close])
            if name.hasPrefix("file:") {
                let url = URL(fileURLWithPath: String(name.dropFirst(5)), relativeTo: baseDirectory)
                do {
                    result += try String(contentsOf: url, encoding: .utf8)
                } catch {
                    throw MockError(.mockProfileInvalid, detail: "cannot read \(url.path) named by {\(name)}")
                }
            } else if name.first?.isNumber == true {
                // `{2}` and `{1,3}` are regular-expression quantifiers, never names.
                result += rest[open...close]
            } else if let value = values[name] {
                result += isPattern ? NSRegularExpression.escapedPattern(for: value) : value
            } else if strict, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
                throw MockError(
                    .mockProfileInvalid, value: "{\(name)}",
                    detail: "unknown placeholder {\(name)}; known: \(values.keys.sorted().map { "{\($0)}" }.joined(separator: ", "))")
            } else {
                // Not a placeholder we know (e.g. JSON in a string): keep it as written.
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

/// Errors of the mock parties themselves (bad profiles, bad control requests).
public enum MockArea: ErrorArea {
    public static let codeAreas: Set<String> = ["mock"]
    public static let detailIsPublic = true
}
public typealias MockError = CodedFailure<MockArea>
