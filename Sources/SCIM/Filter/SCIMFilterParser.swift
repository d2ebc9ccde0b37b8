public import IdentityCore

/// Parses SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), with limits a
/// hostile client cannot get around: length, nesting depth and number of terms are
/// checked while parsing, before anything is evaluated.
public struct SCIMFilterParser: Sendable {
    public struct Limits: Sendable {
        public var maximumLength: Int
        public var maximumDepth: Int
        public var maximumTerms: Int

        public init(maximumLength: Int = 2048, maximumDepth: Int = 16, maximumTerms: Int = 64) {
            self.maximumLength = maximumLength
            self.maximumDepth = maximumDepth
            self.maximumTerms = maximumTerms
        }
    }

    public let limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public func parse(_ text: String) throws(SCIMError) -> SCIMFilter {
        var state = try State(text, limits: limits, code: .scimInvalidFilter)
        let filter = try state.orExpression(depth: 0, inValuePath: false)
        guard state.atEnd else { throw state.fail("unexpected \(state.peekDescription) after a complete filter") }
        return filter
    }

    /// A PATCH operation's `path`: an attribute path, or a value path with an optional
    /// sub-attribute after it (`emails[type eq "work"].value`).
    public func parsePath(_ text: String) throws(SCIMError) -> SCIMPatchPath {
        var state = try State(text, limits: limits, code: .scimInvalidPath)
        let path = try state.attributePath()
        var patch = SCIMPatchPath(attribute: path, filter: nil, subAttribute: nil)
        if state.take(.open(.bracket)) {
            guard path.subAttribute == nil else { throw state.fail("a value filter follows an attribute, not a sub-attribute") }
            patch.filter = try state.orExpression(depth: 1, inValuePath: true)
            guard state.take(.close(.bracket)) else { throw state.fail("expected ']' to close the value filter") }
            if case .subAttribute(let name)? = state.peek {
                state.advance()
                patch.subAttribute = name
            }
        }
        guard state.atEnd else { throw state.fail("unexpected \(state.peekDescription) after the path") }
        return patch
    }

    enum Bracket: Equatable { case paren, bracket }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case number(Double)
        case open(Bracket)
        case close(Bracket)
        /// `.name` straight after `]`.
        case subAttribute(String)
    }

    struct State {
        var tokens: [Token]
        var position = 0
        var terms = 0
        let limits: Limits
        let code: ErrorCode

        init(_ text: String, limits: Limits, code: ErrorCode) throws(SCIMError) {
            self.limits = limits
            self.code = code
            guard text.utf8.count <= limits.maximumLength else {
                throw SCIMError(code, detail: "\(text.utf8.count) bytes; at most \(limits.maximumLength) are parsed")
            }
            tokens = try Self.tokenize(text, code: code)
        }

        var atEnd: Bool { position >= tokens.count }
        var peek: Token? { atEnd ? nil : tokens[position] }
        var peekDescription: String {
            switch peek {
            case nil: "the end"
            case .word(let w)?: "'\(w)'"
            case .string(let s)?: "the string \"\(s.prefix(40))\""
            case .number(let n)?: "the number \(n)"
            case .open(let b)?: b == .paren ? "'('" : "'['"
            case .close(let b)?: b == .paren ? "')'" : "']'"
            case .subAttribute(let s)?: "'.\(s)'"
            }
        }

        mutating func advance() { position += 1 }

        mutating func take(_ token: Token) -> Bool {
            guard peek == token else { return false }
            advance()
            return true
        }

        mutating func takeKeyword(_ keyword: String) -> Bool {
            guard case .word(let w)? = peek, w.lowercased() == keyword else { return false }
            advance()
            return true
        }

        func fail(_ detail: String) -> SCIMError { SCIMError(code, detail: detail) }

        mutating func orExpression(depth: Int, inValuePath: Bool) throws(SCIMError) -> SCIMFilter {
            var left = try andExpression(depth: depth, inValuePath: inValuePath)
            while takeKeyword("or") { left = .or(left, try andExpression(depth: depth, inValuePath: inValuePath)) }
            return left
        }

        mutating func andExpression(depth: Int, inValuePath: Bool) throws(SCIMError) -> SCIMFilter {
            var left = try unary(depth: depth, inValuePath: inValuePath)
            while takeKeyword("and") { left = .and(left, try unary(depth: depth, inValuePath: inValuePath)) }
            return left
        }

        mutating func unary(depth: Int, inValuePath: Bool) throws(SCIMError) -> SCIMFilter {
            guard depth < limits.maximumDepth else { throw fail("nested deeper than \(limits.maximumDepth)") }
            if case .word(let w)? = peek, w.lowercased() == "not", position + 1 < tokens.count, tokens[position + 1] == .open(.paren) {
                advance()
                return .not(try parenthesised(depth: depth, inValuePath: inValuePath))
            }
            if peek == .open(.paren) { return try parenthesised(depth: depth, inValuePath: inValuePath) }
            return try attributeExpression(depth: depth, inValuePath: inValuePath)
        }

        mutating func parenthesised(depth: Int, inValuePath: Bool) throws(SCIMError) -> SCIMFilter {
            guard take(.open(.paren)) else { throw fail("expected '('") }
            let inner = try orExpression(depth: depth + 1, inValuePath: inValuePath)
            guard take(.close(.paren)) else { throw fail("expected ')' but found \(peekDescription)") }
            return inner
        }

        mutating func attributeExpression(depth: Int, inValuePath: Bool) throws(SCIMError) -> SCIMFilter {
            terms += 1
            guard terms <= limits.maximumTerms else { throw fail("more than \(limits.maximumTerms) comparisons") }
            let path = try attributePath()
            if take(.open(.bracket)) {
                guard !inValuePath else { throw fail("a value filter cannot hold another value filter") }
                guard path.subAttribute == nil else { throw fail("a value filter follows an attribute, not a sub-attribute") }
                let inner = try orExpression(depth: depth + 1, inValuePath: true)
                guard take(.close(.bracket)) else { throw fail("expected ']' but found \(peekDescription)") }
                return .valuePath(path, inner)
            }
            guard case .word(let op)? = peek else { throw fail("expected an operator after \(path), found \(peekDescription)") }
            advance()
            if op.lowercased() == "pr" { return .present(path) }
            guard let comparison = SCIMComparison(rawValue: op.lowercased()) else {
                throw fail("'\(op)' is not an operator (eq ne co sw ew gt ge lt le pr)")
            }
            let literal: SCIMLiteral
            switch peek {
            case .string(let s)?: literal = .string(s)
            case .number(let n)?: literal = .number(n)
            case .word(let w)? where w.lowercased() == "true": literal = .bool(true)
            case .word(let w)? where w.lowercased() == "false": literal = .bool(false)
            case .word(let w)? where w.lowercased() == "null": literal = .null
            default: throw fail("expected a value (a quoted string, number, true, false or null) after \(op), found \(peekDescription)")
            }
            advance()
            return .compare(path, comparison, literal)
        }

        mutating func attributePath() throws(SCIMError) -> SCIMAttributePath {
            guard case .word(let word)? = peek else { throw fail("expected an attribute name, found \(peekDescription)") }
            advance()
            return try Self.path(word, code: code)
        }

        /// `[URN ":"] name ["." sub]`; the URN is everything up to the last ':'.
        static func path(_ word: String, code: ErrorCode) throws(SCIMError) -> SCIMAttributePath {
            var schema: String?
            var rest = Substring(word)
            if let colon = word.lastIndex(of: ":") {
                schema = String(word[..<colon])
                rest = word[word.index(after: colon)...]
                guard schema!.lowercased().hasPrefix("urn:") else { throw SCIMError(code, detail: "'\(word)' is not an attribute path") }
            }
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy(isAttributeName) else {
                throw SCIMError(code, detail: "'\(word)' is not an attribute path")
            }
            return SCIMAttributePath(schema: schema, attribute: String(parts[0]), subAttribute: parts.count == 2 ? String(parts[1]) : nil)
        }

        /// RFC 7643 §2.1: ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; `$ref` too.
        static func isAttributeName(_ name: Substring) -> Bool {
            if name == "$ref" { return true }
            guard let first = name.first, first.isASCII, first.isLetter else { return false }
            return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }

        static func tokenize(_ text: String, code: ErrorCode) throws(SCIMError) -> [Token] {
            var tokens = [Token]()
            let scalars = Array(text.unicodeScalars)
            var i = 0
            func fail(_ detail: String) -> SCIMError { SCIMError(code, detail: detail + " at character \(i + 1)") }
            while i < scalars.count {
                let c = scalars[i]
                switch c {
                case " ", "\t", "\n", "\r":
                    i += 1
                case "(": tokens.append(.open(.paren)); i += 1
                case ")": tokens.append(.close(.paren)); i += 1
                case "[": tokens.append(.open(.bracket)); i += 1
                case "]":
                    tokens.append(.close(.bracket))
                    i += 1
                    if i < scalars.count, scalars[i] == "." {
                        var j = i + 1
                        var name = ""
                        while j < scalars.count, Self.isWordScalar(scalars[j]), scalars[j] != ":" {
                            name.unicodeScalars.append(scalars[j])
                            j += 1
                        }
                        guard !name.isEmpty else { throw fail("expected a sub-attribute after '].'") }
                        tokens.append(.subAttribute(name))
                        i = j
                    }
                case "\"":
                    // A JSON string (RFC 7159 §7), with its escapes.
                    var j = i + 1
                    var raw = "\""
                    var closed = false
                    while j < scalars.count {
                        let s = scalars[j]
                        raw.unicodeScalars.append(s)
                        if s == "\\" {
                            j += 1
                            guard j < scalars.count else { break }
                            raw.unicodeScalars.append(scalars[j])
                        } else if s == "\"" {
                            closed = true
                            break
                        }
                        j += 1
                    }
                    guard closed else { throw fail("a string is not closed") }
                    guard let value = try? JSONDecoder.decodeString(raw) else { throw fail("a string has an invalid escape") }
                    tokens.append(.string(value))
                    i = j + 1
                case "-", "0"..."9":
                    var j = i
                    var number = ""
                    while j < scalars.count, "0123456789+-.eE".unicodeScalars.contains(scalars[j]) {
                        number.unicodeScalars.append(scalars[j])
                        j += 1
                    }
                    guard let value = Double(number), value.isFinite else { throw fail("'\(number)' is not a number") }
                    tokens.append(.number(value))
                    i = j
                default:
                    guard Self.isWordScalar(c) else { throw fail("unexpected character '\(Character(c))'") }
                    var j = i
                    var word = ""
                    while j < scalars.count, Self.isWordScalar(scalars[j]) {
                        word.unicodeScalars.append(scalars[j])
                        j += 1
                    }
                    tokens.append(.word(word))
                    i = j
                }
            }
            return tokens
        }

        /// Characters of attribute paths (URNs included) and keywords.
        static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "-_.:$".unicodeScalars.contains(c))
        }
    }
}

/// A PATCH operation's target (RFC 7644 §3.5.2): an attribute, optionally narrowed to the
/// members of a multi-valued attribute a filter selects, optionally a sub-attribute of them.
public struct SCIMPatchPath: Sendable, Equatable {
    public var attribute: SCIMAttributePath
    public var filter: SCIMFilter?
    public var subAttribute: String?

    public init(attribute: SCIMAttributePath, filter: SCIMFilter? = nil, subAttribute: String? = nil) {
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }
}

import Foundation

extension JSONDecoder {
    /// A JSON string literal (quotes included) decoded with Foundation's decoder, so its
    /// escapes (`\"`, `\u00e9`) mean what JSON says.
    static func decodeString(_ literal: String) throws -> String {
        try JSONDecoder().decode(String.self, from: Data(literal.utf8))
    }
}
