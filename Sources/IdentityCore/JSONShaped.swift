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

extension JSONShaped where Self: Codable {
    /// Reads any JSON value: what every JSON-shaped type decodes alike. An object's
    /// members come sorted by key, as Foundation's decoder gives them in no order.
    public init(decodingShapeFrom decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self.init(shape: .null)
        } else if let b = try? c.decode(Bool.self) {
            self.init(shape: .bool(b))
        } else if let i = try? c.decode(Int.self) {
            self.init(shape: .int(i))
        } else if let d = try? c.decode(Double.self) {
            self.init(shape: .double(d))
        } else if let s = try? c.decode(String.self) {
            self.init(shape: .string(s))
        } else if let a = try? c.decode([Self].self) {
            self.init(shape: .array(a))
        } else {
            self.init(shape: .object(try c.decode([String: Self].self).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
    }

    /// Writes the value as the JSON it is shaped like, members in the value's order.
    public func encodeShape(to encoder: any Encoder) throws {
        switch shape {
        case .object(let members):
            var c = encoder.container(keyedBy: ShapeKey.self)
            for (key, value) in members { try c.encode(value, forKey: ShapeKey(stringValue: key)) }
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        }
    }
}

/// An object member's name as a coding key.
public struct ShapeKey: CodingKey {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
