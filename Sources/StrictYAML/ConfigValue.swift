import Foundation
public import IdentityCore
public import Yams

/// A configuration value kept as data: profiles, overrides and registrations that are
/// merged and rewritten before being decoded into a typed record or sent as JSON.
public indirect enum ConfigValue: Sendable, Equatable, Decodable, JSONShaped {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ConfigValue])
    /// Keys in document order.
    case object([(String, ConfigValue)])

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Reads a YAML node, resolving plain scalars by YAML's core schema.
    public init(node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain {
                self = .string(scalar.string)
            } else if node.null != nil {
                self = .null
            } else if let b = node.bool, ["true", "false", "True", "False", "TRUE", "FALSE"].contains(scalar.string) {
                self = .bool(b)
            } else if let i = Int(scalar.string) {
                self = .int(i)
            } else if let d = Double(scalar.string), scalar.string.contains(".") {
                self = .double(d)
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .array(sequence.map(ConfigValue.init(node:)))
        case .mapping(let mapping):
            self = .object(mapping.map { ($0.key.string ?? "", ConfigValue(node: $0.value)) })
        case .alias:
            self = .null
        }
    }

    public init(from decoder: any Decoder) throws {
        guard let nodeDecoder = decoder as? NodeDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "ConfigValue decodes from StrictYAML only"))
        }
        self.init(node: nodeDecoder.node)
    }

    /// Back to a node, to decode a typed record from it.
    public var node: Node {
        switch self {
        case .null: Node("null", Tag(.null), .plain)
        case .bool(let b): Node(b ? "true" : "false", Tag(.bool), .plain)
        case .int(let i): Node(String(i), Tag(.int), .plain)
        case .double(let d): Node(String(d), Tag(.float), .plain)
        case .string(let s): Node(s, Tag(.str), .doubleQuoted)
        case .array(let items): Node(items.map(\.node))
        case .object(let pairs): Node(pairs.map { (Node($0.0), $0.1.node) })
        }
    }

    /// Deep merge: `other`'s mappings are merged key by key into this one's; a `null` in
    /// `other` removes the key (so a scenario can return a setting to its default);
    /// anything else in `other` replaces what is here.
    public func merging(_ other: ConfigValue) -> ConfigValue {
        guard case .object(let base) = self, case .object(let overlay) = other else { return other }
        var result = base
        for (key, value) in overlay {
            let index = result.firstIndex { $0.0 == key }
            switch (index, value) {
            case (let index?, .null): result.remove(at: index)
            case (let index?, _): result[index].1 = result[index].1.merging(value)
            case (nil, .null): break
            case (nil, _): result.append((key, value))
            }
        }
        return .object(result)
    }

    /// JSON text, keys in document order.
    public var json: String { jsonText() }

    public var shape: JSONShape<ConfigValue> {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let items): .array(items)
        case .object(let pairs): .object(pairs)
        }
    }

    public init(shape: JSONShape<ConfigValue>) {
        switch shape {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items)
        case .object(let pairs): self = .object(pairs)
        }
    }
}
