public import Foundation
public import IdentityCore

/// A JSON value as SCIM resources and requests carry them (RFC 7643 §2.3): members keep
/// their order, so a resource is written back as it was built.
public indirect enum SCIMValue: Sendable, Equatable, Codable, JSONShaped {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SCIMValue])
    case object([(String, SCIMValue)])

    public var shape: JSONShape<SCIMValue> {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? .int(Int(n)) : .double(n)
        case .string(let s): .string(s)
        case .array(let a): .array(a)
        case .object(let o): .object(o)
        }
    }

    public init(shape: JSONShape<SCIMValue>) {
        switch shape {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let n): self = .number(Double(n))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a)
        case .object(let o): self = .object(o)
        }
    }

    public static func == (lhs: SCIMValue, rhs: SCIMValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// A member by name, case-insensitively (RFC 7643 §2.1: attribute names are).
    public func member(_ name: String) -> SCIMValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public var isEmptyValue: Bool {
        switch self {
        case .null: true
        case .string(let s): s.isEmpty
        case .array(let a): a.isEmpty
        case .object(let o): o.isEmpty
        default: false
        }
    }

    /// A JSON document, or nil when it is not JSON.
    public static func parsing(_ data: Data) -> SCIMValue? { try? JSONDecoder().decode(SCIMValue.self, from: data) }

    public init(from decoder: any Decoder) throws { try self.init(decodingShapeFrom: decoder) }

    public func encode(to encoder: any Encoder) throws { try encodeShape(to: encoder) }
}
