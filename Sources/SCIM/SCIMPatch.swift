public import IdentityCore

/// PATCH (RFC 7644 §3.5.2): `add`, `remove` and `replace` operations applied, in order, to
/// a resource's JSON — which the caller then reads as it reads a PUT body, so a patched
/// user passes exactly the checks a replaced one does. An operation on a read-only
/// attribute (`id`, `meta`, `groups`, `schemas`) is `mutability`; a `remove` without a
/// path, or a filter that selects nothing, `noTarget`.
public struct SCIMPatch: Sendable {
    public enum Op: String, Sendable { case add, remove, replace }

    public struct Operation: Sendable {
        public var op: Op
        public var path: SCIMPatchPath?
        public var value: SCIMValue?
    }

    public let operations: [Operation]
    /// At most this many operations in one request.
    public static let maximumOperations = 100

    /// Reads a PatchOp message.
    public init(_ body: SCIMValue, parser: SCIMFilterParser = SCIMFilterParser()) throws(SCIMError) {
        guard case .array(let declared)? = body.member("schemas"), declared.contains(.string(SCIMSchemaURN.patchOp)) else {
            throw SCIMError(.scimInvalidSyntax, field: "schemas", detail: "a PATCH names \(SCIMSchemaURN.patchOp)")
        }
        guard case .array(let items)? = body.member("Operations"), !items.isEmpty else {
            throw SCIMError(.scimInvalidSyntax, field: "Operations", detail: "a PATCH holds one or more Operations")
        }
        guard items.count <= Self.maximumOperations else {
            throw SCIMError(.scimInvalidSyntax, field: "Operations", detail: "at most \(Self.maximumOperations) operations")
        }
        var operations = [Operation]()
        for item in items {
            guard let name = item.member("op")?.stringValue, let op = Op(rawValue: name.lowercased()) else {
                throw SCIMError(.scimInvalidSyntax, field: "op", value: item.member("op")?.stringValue, detail: "op is add, remove or replace")
            }
            let path = try item.member("path")?.stringValue.map { text throws(SCIMError) in try parser.parsePath(text) }
            operations.append(Operation(op: op, path: path, value: item.member("value")))
        }
        self.operations = operations
    }

    static let readOnly: Set<String> = ["id", "meta", "groups", "schemas"]

    /// The resource after every operation.
    public func apply(to resource: SCIMValue, coreSchema: String) throws(SCIMError) -> SCIMValue {
        var result = resource
        for operation in operations {
            result = try apply(operation, to: result, coreSchema: coreSchema)
        }
        return result
    }

    func apply(_ operation: Operation, to resource: SCIMValue, coreSchema: String) throws(SCIMError) -> SCIMValue {
        guard case .object(var members) = resource else { return resource }
        guard let path = operation.path else {
            // No path: the value is an object of attributes (RFC 7644 §3.5.2.1, .3).
            guard operation.op != .remove else { throw SCIMError(.scimNoTarget, detail: "remove needs a path") }
            guard case .object(let given)? = operation.value else {
                throw SCIMError(.scimInvalidValue, field: "value", detail: "without a path, value is an object of attributes")
            }
            for (name, value) in given {
                try Self.writable(name)
                members = Self.set(name, in: members, to: value, merge: operation.op == .add)
            }
            return .object(members)
        }
        try Self.writable(path.attribute.attribute)
        // An extension's attribute lives in the extension's object.
        if let urn = path.attribute.schema, urn.caseInsensitiveCompare(coreSchema) != .orderedSame {
            let inner = members.first { $0.0.caseInsensitiveCompare(urn) == .orderedSame }?.1 ?? .object([])
            var unqualified = path
            unqualified.attribute.schema = nil
            let updated = try apply(Operation(op: operation.op, path: unqualified, value: operation.value), to: inner, coreSchema: coreSchema)
            members = Self.set(urn, in: members, to: updated, merge: false)
            if case .array(let schemas)? = SCIMValue.object(members).member("schemas"), !schemas.contains(.string(urn)) {
                members = Self.set("schemas", in: members, to: .array(schemas + [.string(urn)]), merge: false)
            }
            return .object(members)
        }
        let name = path.attribute.attribute
        let current = members.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        if let filter = path.filter {
            guard operation.op != .add || path.subAttribute != nil else {
                throw SCIMError(.scimInvalidPath, detail: "add with a value filter needs a sub-attribute")
            }
            guard case .array(let items)? = current else { throw SCIMError(.scimNoTarget, detail: "\(name) has no values to filter") }
            let evaluator = SCIMFilterEvaluator(coreSchema: coreSchema)
            var matched = false
            var kept = [SCIMValue]()
            for item in items {
                guard evaluator.matches(item, filter) else { kept.append(item); continue }
                matched = true
                switch (operation.op, path.subAttribute) {
                case (.remove, nil): continue
                case (.remove, let sub?):
                    guard case .object(let fields) = item else { continue }
                    kept.append(.object(fields.filter { $0.0.caseInsensitiveCompare(sub) != .orderedSame }))
                case (_, nil):
                    kept.append(operation.value ?? .null)
                case (_, let sub?):
                    guard case .object(let fields) = item else { continue }
                    kept.append(.object(Self.set(sub, in: fields, to: operation.value ?? .null, merge: false)))
                }
            }
            guard matched else { throw SCIMError(.scimNoTarget, value: "\(filter)", detail: "the filter on \(name) selects no value") }
            return .object(Self.set(name, in: members, to: .array(kept), merge: false))
        }
        if let sub = path.attribute.subAttribute {
            var fields: [(String, SCIMValue)] = []
            if case .object(let existing)? = current { fields = existing }
            switch operation.op {
            case .remove: fields.removeAll { $0.0.caseInsensitiveCompare(sub) == .orderedSame }
            case .add, .replace: fields = Self.set(sub, in: fields, to: operation.value ?? .null, merge: operation.op == .add)
            }
            return .object(Self.set(name, in: members, to: .object(fields), merge: false))
        }
        switch operation.op {
        case .remove: members.removeAll { $0.0.caseInsensitiveCompare(name) == .orderedSame }
        case .add, .replace: members = Self.set(name, in: members, to: operation.value ?? .null, merge: operation.op == .add)
        }
        return .object(members)
    }

    static func writable(_ name: String) throws(SCIMError) {
        if readOnly.contains(name.lowercased()) {
            throw SCIMError(.scimMutability, field: name, detail: "\(name) is read-only")
        }
    }

    /// Sets a member; with `merge` (add) a multi-valued value is appended to and a complex
    /// one merged into what is there (RFC 7644 §3.5.2.1).
    static func set(_ name: String, in members: [(String, SCIMValue)], to value: SCIMValue, merge: Bool) -> [(String, SCIMValue)] {
        var members = members
        if let index = members.firstIndex(where: { $0.0.caseInsensitiveCompare(name) == .orderedSame }) {
            switch (merge, members[index].1, value) {
            case (true, .array(let old), .array(let new)): members[index].1 = .array(old + new.filter { !old.contains($0) })
            case (true, .object(let old), .object(let new)):
                var combined = old
                for (key, item) in new { combined = set(key, in: combined, to: item, merge: false) }
                members[index].1 = .object(combined)
            default: members[index].1 = value
            }
        } else {
            members.append((name, value))
        }
        return members
    }
}
