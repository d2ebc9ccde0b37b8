/// A claim value as JSON knows it: what ID tokens, userinfo and introspection carry.
public indirect enum ClaimValue: Codable, Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case number(Int)
    case array([ClaimValue])
    case object([String: ClaimValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Int.self) {
            self = .number(n)
        } else if let d = try? c.decode(Double.self), d.isFinite, abs(d) < 1e15 {
            // NumericDate may be fractional (RFC 7519 §2); whole seconds are what is compared.
            self = .number(Int(d.rounded(.down)))
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([ClaimValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: ClaimValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// A coding key for claim names known only at run time.
struct ClaimKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
