import Foundation
import Yams

/// Remembers which keys of which mappings a decode read, and where each node was, so an
/// unread key and any decoding failure can be reported with its line.
final class UsageTracker {
    let file: String
    /// What the decoded types' `init(from:)` may ask the decoder for.
    let userInfo: [CodingUserInfoKey: Any]
    private var opened: [(path: String, mapping: Node.Mapping)] = []
    private var openedPaths = Set<String>()
    private var used: [String: Set<String>] = [:]
    private var marks: [String: Mark] = [:]
    /// Every key the type at a path declares (when its CodingKeys are CaseIterable).
    private var declared: [String: [String]] = [:]

    init(file: String, userInfo: [CodingUserInfoKey: Any] = [:]) {
        self.file = file
        self.userInfo = userInfo
    }

    func open(_ mapping: Node.Mapping, at path: String) {
        if openedPaths.insert(path).inserted { opened.append((path, mapping)) }
        if let mark = mapping.mark { marks[path] = mark }
    }

    /// Adds to the keys known at `path` (a type may read one mapping through two
    /// containers: its own keys, then keys others registered).
    func declare(_ keys: [String], at path: String) {
        declared[path] = Array(Set(declared[path] ?? []).union(keys)).sorted()
    }

    func use(_ key: String, at path: String, node: Node?) {
        used[path, default: []].insert(key)
        if let mark = node?.mark { marks[Self.join(path, key)] = mark }
    }

    func mark(at path: String) -> Mark? {
        var candidate = path
        while true {
            if let mark = marks[candidate] { return mark }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { return marks[""] }
            candidate = String(candidate[..<cut])
        }
    }

    func error(_ code: ErrorCodeKind, at path: String, node: Node?, _ reason: String) -> ConfigurationError {
        let mark = node?.mark ?? self.mark(at: path)
        return ConfigurationError(code.code, file: file, line: mark?.line, column: mark?.column, path: path, reason: reason)
    }

    func checkUnusedKeys() throws(ConfigurationError) {
        for (path, mapping) in opened {
            let read = used[path] ?? []
            for (key, _) in mapping {
                let name = key.string ?? "?"
                if !read.contains(name) {
                    let known = declared[path] ?? []
                    var reason = "unknown key '\(name)'"
                    if let suggestion = Self.closest(to: name, in: known) {
                        reason += "; did you mean '\(suggestion)'?"
                    } else if !known.isEmpty {
                        reason += "; known keys here: \(known.joined(separator: ", "))"
                    }
                    throw ConfigurationError(
                        .configUnknownKey, file: file, line: key.mark?.line, column: key.mark?.column, path: path, reason: reason)
                }
            }
        }
    }

    /// The declared key nearest to a misspelt one (edit distance ≤ 2), if any.
    static func closest(to name: String, in known: [String]) -> String? {
        known.map { ($0, distance(name.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Turns a `DecodingError` thrown by a type's own `init(from:)` into a located error.
    func translate(_ error: DecodingError) -> ConfigurationError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = Self.path(context.codingPath)
            return self.error(.missing, at: path, node: nil, "required key '\(key.stringValue)' is missing")
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            let path = Self.path(context.codingPath)
            return self.error(.invalid, at: path, node: nil, context.debugDescription)
        @unknown default:
            return self.error(.invalid, at: "", node: nil, "\(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("") { partial, key in
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                return partial + "[\(index)]"
            }
            return join(partial, key.stringValue)
        }
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    enum ErrorCodeKind {
        case invalid, missing
        var code: ErrorCode { self == .invalid ? .configInvalidValue : .configMissingKey }
    }
}

import IdentityCore

struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = "Index \(index)"
    }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { nil }
}

struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [any CodingKey]
    let tracker: UsageTracker
    /// What the caller gave, and that this decoder reports unread keys itself.
    var userInfo: [CodingUserInfoKey: Any] { tracker.userInfo.merging([.reportsUnreadKeys: true]) { $1 } }

    var path: String { UsageTracker.path(codingPath) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw tracker.error(.invalid, at: path, node: node, "expected a mapping (key: value pairs), found \(node.kindName)")
        }
        tracker.open(mapping, at: path)
        if let keys = (Key.self as? any CaseIterable.Type)?.allCases as? any Collection {
            tracker.declare(keys.compactMap { ($0 as? any CodingKey)?.stringValue }.sorted(), at: path)
        } else if let open = Key.self as? any OpenCodingKeys.Type {
            tracker.declare(open.knownKeys(userInfo: userInfo), at: path)
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(mapping: mapping, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw tracker.error(.invalid, at: path, node: node, "expected a list, found \(node.kindName)")
        }
        return UnkeyedNodeContainer(items: Array(sequence), decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueNodeContainer(decoder: self)
    }

    func child(_ node: Node, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], tracker: tracker)
    }

    // MARK: scalars

    func scalar() throws -> Node.Scalar {
        guard case .scalar(let scalar) = node else {
            throw tracker.error(.invalid, at: path, node: node, "expected a single value, found \(node.kindName)")
        }
        return scalar
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func decodeBool() throws -> Bool {
        let s = try scalar()
        switch s.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw tracker.error(.invalid, at: path, node: node, "expected true or false, found '\(s.string)'")
        }
    }

    func decodeString() throws -> String {
        let s = try scalar()
        if isNull { throw tracker.error(.invalid, at: path, node: node, "expected a value, found null") }
        return s.string
    }

    func decodeNumber<T: LosslessStringConvertible>(_ type: T.Type) throws -> T {
        let s = try scalar()
        guard let value = T(s.string) else {
            throw tracker.error(.invalid, at: path, node: node, "expected \(T.self), found '\(s.string)'")
        }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try decodeBool() as! T
        case is String.Type: return try decodeString() as! T
        case is Int.Type: return try decodeNumber(Int.self) as! T
        case is Double.Type: return try decodeNumber(Double.self) as! T
        case is ConfigValue.Type: return ConfigValue(node: node) as! T
        default: return try T(from: self)
        }
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { mapping.keys.compactMap { $0.string.flatMap(Key.init(stringValue:)) } }

    func contains(_ key: Key) -> Bool { mapping[key.stringValue] != nil }

    private func value(_ key: Key) throws -> NodeDecoder {
        guard let node = mapping[key.stringValue] else {
            throw decoder.tracker.error(.missing, at: decoder.path, node: nil, "required key '\(key.stringValue)' is missing")
        }
        decoder.tracker.use(key.stringValue, at: decoder.path, node: node)
        return decoder.child(node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let node = mapping[key.stringValue] else { return true }
        decoder.tracker.use(key.stringValue, at: decoder.path, node: node)
        return decoder.child(node, key: key).isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try value(key).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try value(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try value(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let decoder: NodeDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw decoder.tracker.error(.invalid, at: decoder.path, node: decoder.node, "the list has too few items")
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if decoder.child(items[currentIndex], key: IndexKey(currentIndex)).isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleValueNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeNumber(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.decodeNumber(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeNumber(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeNumber(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeNumber(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeNumber(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeNumber(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeNumber(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeNumber(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeNumber(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeNumber(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeNumber(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}
