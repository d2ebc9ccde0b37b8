public import Foundation
public import Yams
import IdentityCore

/// Decodes configuration documents strictly: every key must be known to the type, every
/// value must have the right type, and each refusal names file, line, column and key
/// path. JSON is YAML too, so the admin API decodes its bodies with the same rules.
///
/// Why not `YAMLDecoder`: it silently ignores unknown keys, so a misspelt `signAssertion`
/// would quietly leave the default in force — the kind of mistake a conformance tool
/// must not let pass.
public enum StrictYAML {
    public static let maximumDocumentBytes = 1024 * 1024

    public static func decode<T: Decodable>(
        _ type: T.Type, from text: String, file: String, userInfo: [CodingUserInfoKey: Any] = [:]
    ) throws(ConfigurationError) -> T {
        try decode(type, from: node(from: text, file: file), file: file, userInfo: userInfo)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws(ConfigurationError) -> T {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(.configSyntax, file: file, line: nil, column: nil, path: "", reason: "the document is not UTF-8")
        }
        return try decode(type, from: text, file: file)
    }

    /// Decodes, then runs `validate` on the value; a `CodedError` it throws whose `field`
    /// is a key path (`saml.acsURLs[1]`) is reported at that key's line. `userInfo` is what
    /// the types' decoders may ask for (the protocol sections a provider may carry).
    public static func decode<T: Decodable>(
        _ type: T.Type, from text: String, file: String, userInfo: [CodingUserInfoKey: Any] = [:], validate: (T) throws -> Void
    ) throws(ConfigurationError) -> T {
        try decode(type, from: node(from: text, file: file), file: file, userInfo: userInfo, validate: validate)
    }

    public static func decode<T: Decodable>(
        _ type: T.Type, from node: Node, file: String, userInfo: [CodingUserInfoKey: Any] = [:], validate: (T) throws -> Void = { _ in }
    ) throws(ConfigurationError) -> T {
        let tracker = UsageTracker(file: file, userInfo: userInfo)
        do {
            let value = try T(from: NodeDecoder(node: node, codingPath: [], tracker: tracker))
            try tracker.checkUnusedKeys()
            do {
                try validate(value)
            } catch let error as any CodedError {
                let path = error.field ?? ""
                let mark = tracker.mark(at: path)
                throw ConfigurationError(
                    error.code, file: file, line: mark?.line, column: mark?.column, path: path,
                    reason: error.detail + (error.value.map { " (value: \($0))" } ?? ""))
            }
            return value
        } catch let error as ConfigurationError {
            throw error
        } catch let error as DecodingError {
            throw tracker.translate(error)
        } catch let error as any CustomStringConvertible & Error {
            throw ConfigurationError(.configInvalidValue, file: file, line: node.mark?.line, column: node.mark?.column, path: "", reason: error.description)
        } catch {
            throw ConfigurationError(.configInvalidValue, file: file, line: nil, column: nil, path: "", reason: "\(error)")
        }
    }

    /// Parses YAML text into a node tree, refusing oversized input, documents that expand
    /// past a node budget (alias bombs) and duplicate keys (legal YAML, but a duplicate key
    /// in a configuration is always a mistake).
    public static func node(from text: String, file: String) throws(ConfigurationError) -> Node {
        if text.utf8.count > maximumDocumentBytes {
            throw ConfigurationError(.configSyntax, file: file, line: nil, column: nil, path: "", reason: "the document exceeds \(maximumDocumentBytes) bytes")
        }
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntax(error, file: file)
        } catch {
            throw ConfigurationError(.configSyntax, file: file, line: nil, column: nil, path: "", reason: "\(error)")
        }
        let node = parsed ?? Node.mapping(Node.Mapping([]))
        var budget = maximumNodes
        try check(node, path: "", file: file, budget: &budget)
        return node
    }

    /// No configuration has this many values; a document that expands to more is an alias
    /// bomb (Yams resolves each alias to a shared copy of its anchor's node, so a small
    /// text can stand for an exponential tree). The walk stops the moment it is exceeded.
    public static let maximumNodes = 100_000

    private static func check(_ node: Node, path: String, file: String, budget: inout Int) throws(ConfigurationError) {
        budget -= 1
        if budget < 0 {
            throw ConfigurationError(
                .configUnsupported, file: file, line: node.mark?.line, column: node.mark?.column, path: path,
                reason: "the document expands to more than \(maximumNodes) values; YAML aliases are not supported in configuration")
        }
        switch node {
        case .alias:
            throw ConfigurationError(
                .configUnsupported, file: file, line: node.mark?.line, column: node.mark?.column, path: path,
                reason: "YAML aliases are not supported in configuration")
        case .scalar:
            return
        case .sequence(let sequence):
            for (index, child) in sequence.enumerated() { try check(child, path: "\(path)[\(index)]", file: file, budget: &budget) }
        case .mapping(let mapping):
            var seen = Set<String>()
            for (key, value) in mapping {
                let name = key.string ?? "?"
                if !seen.insert(name).inserted {
                    throw ConfigurationError(
                        .configDuplicateKey, file: file, line: key.mark?.line, column: key.mark?.column, path: path,
                        reason: "key '\(name)' appears twice")
                }
                try check(value, path: path.isEmpty ? name : "\(path).\(name)", file: file, budget: &budget)
            }
        }
    }

    private static func syntax(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationError(.configSyntax, file: file, line: mark.line, column: mark.column, path: "", reason: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(
                .configDuplicateKey, file: file, line: context.mark.line, column: context.mark.column, path: "",
                reason: "keys appear twice: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigurationError(.configSyntax, file: file, line: nil, column: nil, path: "", reason: "\(error)")
        }
    }
}
