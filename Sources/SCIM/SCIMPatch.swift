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
            let value = item.member("value")
            if let value { try Self.bounded(value) }
            operations.append(Operation(op: op, path: path, value: value))
        }
        self.operations = operations
    }

    static let readOnly: Set<String> = ["id", "meta", "groups", "schemas"]

    /// At most this many values in any array of an operation's value: this server stores
    /// one or two of each, and merging longer arrays would cost work quadratic in them.
    public static let maximumValues = 100

    static func bounded(_ value: SCIMValue) throws(SCIMError) {
        switch value {
        case .array(let items):
            guard items.count <= maximumValues else {
                throw SCIMError(.scimInvalidValue, field: "value", detail: "at most \(maximumValues) values in one array")
            }
            for item in items { try bounded(item) }
        case .object(let members):
            for (_, member) in members { try bounded(member) }
        default: break
        }
    }

    /// The resource after every operation.
    /// `extensions`: the resource's extension schema URNs, which a path may name whole
    /// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, whose last colon the
    /// path grammar would otherwise read as an attribute of `…:2.0`).
    public func apply(to resource: SCIMValue, coreSchema: String, extensions: [String] = []) throws(SCIMError) -> SCIMValue {
        var result = resource
        for operation in operations {
            result = try apply(Self.wholeExtension(operation, extensions), to: result, coreSchema: coreSchema)
        }
        return result
    }

    /// An operation whose path is an extension's URN alone, as one without a path whose
    /// value is `{URN: value}` (RFC 7644 §3.5.2: the same change); a remove drops the
    /// extension's object.
    static func wholeExtension(_ operation: Operation, _ extensions: [String]) -> Operation {
        guard let path = operation.path, let schema = path.attribute.schema, path.attribute.subAttribute == nil, path.filter == nil,
            path.subAttribute == nil,
            let urn = extensions.first(where: { $0.caseInsensitiveCompare(schema + ":" + path.attribute.attribute) == .orderedSame })
        else { return operation }
        if operation.op == .remove {
            return Operation(op: .remove, path: SCIMPatchPath(attribute: SCIMAttributePath(attribute: urn)), value: nil)
        }
        return Operation(op: operation.op, path: nil, value: .object([(urn, operation.value ?? .object([]))]))
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
                members = Self.set(name, in: members, to: value, appending: operation.op == .add)
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
            members = Self.replacing(urn, in: members, with: updated)
            if case .array(let schemas)? = SCIMValue.object(members).member("schemas"), !schemas.contains(.string(urn)) {
                members = Self.replacing("schemas", in: members, with: .array(schemas + [.string(urn)]))
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
                    kept.append(.object(Self.replacing(sub, in: fields, with: operation.value ?? .null)))
                }
            }
            guard matched else { throw SCIMError(.scimNoTarget, value: "\(filter)", detail: "the filter on \(name) selects no value") }
            return .object(Self.replacing(name, in: members, with: .array(kept)))
        }
        if let sub = path.attribute.subAttribute {
            // A sub-attribute of a multi-valued attribute, without a filter: of every value.
            func changed(_ existing: [(String, SCIMValue)]) -> [(String, SCIMValue)] {
                var fields = existing
                switch operation.op {
                case .remove: fields.removeAll { $0.0.caseInsensitiveCompare(sub) == .orderedSame }
                case .add, .replace: fields = Self.set(sub, in: fields, to: operation.value ?? .null, appending: operation.op == .add)
                }
                return fields
            }
            switch current {
            case .array(let items)?:
                return .object(Self.replacing(name, in: members, with: .array(items.map { item in
                    if case .object(let fields) = item { return .object(changed(fields)) }
                    return item
                })))
            case .object(let fields)?: return .object(Self.replacing(name, in: members, with: .object(changed(fields))))
            default: return .object(Self.replacing(name, in: members, with: .object(changed([]))))
            }
        }
        switch operation.op {
        case .remove: members.removeAll { $0.0.caseInsensitiveCompare(name) == .orderedSame }
        case .add, .replace: members = Self.set(name, in: members, to: operation.value ?? .null, appending: operation.op == .add)
        }
        return .object(members)
    }

    static func writable(_ name: String) throws(SCIMError) {
        if readOnly.contains(name.lowercased()) {
            throw SCIMError(.scimMutability, field: name, detail: "\(name) is read-only")
        }
    }

    /// Adds or replaces a member (RFC 7644 §3.5.2.1, .3): a complex value is merged into
    /// what is there (sub-attributes not given are left unchanged), a multi-valued one is
    /// appended to by `add` (`appending`) and replaced by `replace`.
    static func set(_ name: String, in members: [(String, SCIMValue)], to value: SCIMValue, appending: Bool) -> [(String, SCIMValue)] {
        guard let index = members.firstIndex(where: { $0.0.caseInsensitiveCompare(name) == .orderedSame }) else { return members + [(name, value)] }
        var members = members
        switch (members[index].1, value) {
        case (.array(let old), .array(let new)) where appending: members[index].1 = .array(old + new.filter { !old.contains($0) })
        case (.object(let old), .object(let new)):
            var combined = old
            for (key, item) in new { combined = set(key, in: combined, to: item, appending: appending) }
            members[index].1 = .object(combined)
        default: members[index].1 = value
        }
        return members
    }

    /// Puts `value` in place of a member (or adds it), nothing merged.
    static func replacing(_ name: String, in members: [(String, SCIMValue)], with value: SCIMValue) -> [(String, SCIMValue)] {
        var members = members
        if let index = members.firstIndex(where: { $0.0.caseInsensitiveCompare(name) == .orderedSame }) {
            members[index].1 = value
        } else {
            members.append((name, value))
        }
        return members
    }
}
