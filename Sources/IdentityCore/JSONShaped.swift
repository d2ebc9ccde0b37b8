/// One of JSON's kinds of value, with the children of a container as `Value`s.
public enum JSONShape<Value> {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    /// Members in the value's own order (document order, or sorted, as the type keeps them).
    case object([(String, Value)])
}

/// A JSON-shaped value type: `ConfigValue` keeps its keys in document order (a profile
/// printed back reads as written), `JSONValue` compares and prints them sorted (a vector
/// is byte-identical for identical observations). What they do alike is written once,
/// here, over their shape.
public protocol JSONShaped {
    var shape: JSONShape<Self> { get }
    init(shape: JSONShape<Self>)
}

extension JSONShaped {
    public var stringValue: String? {
        if case .string(let s) = shape { return s }
        return nil
    }

    public subscript(key: String) -> Self? {
        guard case .object(let members) = shape else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Every string rewritten by `transform` (placeholder substitution, normalisation).
    public func mapStrings(_ transform: (String) throws -> String) rethrows -> Self {
        switch shape {
        case .string(let s): Self(shape: .string(try transform(s)))
        case .array(let items): Self(shape: .array(try items.map { try $0.mapStrings(transform) }))
        case .object(let members): Self(shape: .object(try members.map { ($0.0, try $0.1.mapStrings(transform)) }))
        default: self
        }
    }

    /// JSON text on one line, members in the value's order; `spaced` puts a space after
    /// each `,` and `:` (for messages people read).
    public func jsonText(spaced: Bool = false) -> String {
        let (comma, colon) = spaced ? (", ", ": ") : (",", ":")
        switch shape {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return JSONString.quote(s)
        case .array(let items): return "[" + items.map { $0.jsonText(spaced: spaced) }.joined(separator: comma) + "]"
        case .object(let members):
            return "{" + members.map { JSONString.quote($0.0) + colon + $0.1.jsonText(spaced: spaced) }.joined(separator: comma) + "}"
        }
    }
}
