public import Foundation
public import IdentityCore

/// A JSON document as a value: what vectors are made of. Printed with sorted keys and
/// two-space indentation so a vector file is byte-identical for identical observations
/// and diffs well in review.
public indirect enum JSONValue: Codable, Equatable, Sendable, JSONShaped {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws { try self.init(decodingShapeFrom: decoder) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Any Encodable value as JSON (through JSONEncoder, so Codable rules apply).
    public init(encoding value: some Encodable) throws {
        // Dates as ISO 8601 text, as the server's APIs write them.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public init(parsing data: Data) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// A member by key, looked up in the dictionary (the shape's sorted list is for
    /// walking, not for finding one member).
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True when `expected` is this value, or — for objects — every key of `expected` is
    /// here with a value that in turn contains the expected one (so an expectation names
    /// only what it checks). Arrays must have as many entries, each containing the expected
    /// one; scalars must be equal.
    public func contains(_ expected: JSONValue) -> Bool {
        switch (self, expected) {
        case (.object(let mine), .object(let theirs)):
            return theirs.allSatisfy { key, value in (mine[key] ?? .null).contains(value) }
        case (.array(let mine), .array(let theirs)):
            // As many entries, each matching in turn (a mapping by the keys it names).
            return mine.count == theirs.count && zip(mine, theirs).allSatisfy { $0.contains($1) }
        default:
            return self == expected
        }
    }

    /// Pretty text with sorted keys and a final newline.
    public func pretty() -> String {
        var out = ""
        write(&out, indent: 0)
        return out + "\n"
    }

    /// One line, sorted keys (for messages).
    public var compact: String { jsonText(spaced: true) }

    /// Objects' members sorted by key.
    public var shape: JSONShape<JSONValue> {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let items): .array(items)
        case .object(let members): .object(members.keys.sorted().map { ($0, members[$0]!) })
        }
    }

    /// A repeated key keeps its first value.
    public init(shape: JSONShape<JSONValue>) {
        switch shape {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items)
        case .object(let pairs): self = .object(Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
        }
    }

    private func write(_ out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .array(let a) where !a.isEmpty:
            out += "[\n"
            for (i, item) in a.enumerated() {
                out += pad
                item.write(&out, indent: indent + 1)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            let keys = o.keys.sorted()
            for (i, key) in keys.enumerated() {
                out += pad + JSONString.quote(key) + ": "
                o[key]!.write(&out, indent: indent + 1)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        case .array: out += "[]"
        case .object: out += "{}"
        default: out += compact
        }
    }
}

extension JSONValue {
    /// Every scalar by its dotted path (`0.id`, `federation.subject`): what an admin
    /// step's answer offers later steps as `{admin.<path>}`.
    public var flattened: [String: String] {
        var result = [String: String]()
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .null: break
            case .bool(let b): result[path] = b ? "true" : "false"
            case .int(let i): result[path] = String(i)
            case .double(let d): result[path] = String(d)
            case .string(let s): result[path] = s
            case .array(let items): for (index, item) in items.enumerated() { walk(item, path.isEmpty ? "\(index)" : "\(path).\(index)") }
            case .object(let members): for (key, member) in members { walk(member, path.isEmpty ? key : "\(path).\(key)") }
            }
        }
        walk(self, "")
        return result
    }
}
