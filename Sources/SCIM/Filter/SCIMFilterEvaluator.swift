public import Foundation

/// Decides whether a resource (its JSON representation) matches a filter, as RFC 7644
/// §3.4.2.2 says: strings compare case-insensitively unless the attribute is `caseExact`;
/// a multi-valued attribute matches when any of its values does; a complex multi-valued
/// attribute named without a sub-attribute is compared by its `value` members; `eq null`
/// means "has no value".
public struct SCIMFilterEvaluator: Sendable {
    /// The resource's core schema URN (`urn:ietf:params:scim:schemas:core:2.0:User`): a
    /// path qualified with it names a top-level attribute; any other URN names an extension.
    public let coreSchema: String
    public let caseExact: @Sendable (SCIMAttributePath) -> Bool

    public init(coreSchema: String, caseExact: @escaping @Sendable (SCIMAttributePath) -> Bool = { _ in false }) {
        self.coreSchema = coreSchema
        self.caseExact = caseExact
    }

    public func matches(_ resource: SCIMValue, _ filter: SCIMFilter) -> Bool {
        switch filter {
        case .and(let a, let b): matches(resource, a) && matches(resource, b)
        case .or(let a, let b): matches(resource, a) || matches(resource, b)
        case .not(let f): !matches(resource, f)
        // `name pr`: the attribute itself (a complex value has no `value` to look at).
        case .present(let path) where path.subAttribute == nil: members(of: path, in: resource).contains { !$0.isEmptyValue }
        case .present(let path): values(of: path, in: resource).contains { !$0.isEmptyValue }
        case .compare(let path, let op, let literal): compare(values(of: path, in: resource), op, literal, exact: caseExact(path))
        case .valuePath(let path, let inner):
            members(of: path, in: resource).contains { member in
                // Inside the brackets the paths name the member's sub-attributes.
                let scoped = SCIMFilterEvaluator(coreSchema: coreSchema) { sub in
                    caseExact(SCIMAttributePath(schema: path.schema, attribute: path.attribute, subAttribute: sub.attribute))
                }
                return scoped.matches(member, inner)
            }
        }
    }

    /// The values of `attribute` (an array's elements, or the one value).
    func members(of path: SCIMAttributePath, in resource: SCIMValue) -> [SCIMValue] {
        guard let top = attribute(path, in: resource) else { return [] }
        if case .array(let items) = top { return items }
        return [top]
    }

    func attribute(_ path: SCIMAttributePath, in resource: SCIMValue) -> SCIMValue? {
        if let schema = path.schema, schema.caseInsensitiveCompare(coreSchema) != .orderedSame {
            return resource.member(schema)?.member(path.attribute)
        }
        return resource.member(path.attribute)
    }

    /// The values a path compares: sub-attribute values of each member, or each member
    /// (a complex one by its `value`).
    func values(of path: SCIMAttributePath, in resource: SCIMValue) -> [SCIMValue] {
        members(of: path, in: resource).compactMap { member in
            if let sub = path.subAttribute { return member.member(sub) }
            if case .object = member { return member.member("value") }
            return member
        }.flatMap { value -> [SCIMValue] in
            if case .array(let items) = value { return items }
            return [value]
        }
    }

    func compare(_ values: [SCIMValue], _ op: SCIMComparison, _ literal: SCIMLiteral, exact: Bool) -> Bool {
        if case .null = literal {
            let present = values.contains { !$0.isEmptyValue }
            switch op {
            case .eq: return !present
            case .ne: return present
            default: return false
            }
        }
        // RFC 7644 §3.4.2.2: a multi-valued attribute matches when any of its values does —
        // `ne` included.
        return values.contains { Self.test($0, op, literal, exact: exact) }
    }

    static func test(_ value: SCIMValue, _ op: SCIMComparison, _ literal: SCIMLiteral, exact: Bool) -> Bool {
        switch (value, literal) {
        case (.string(let s), .string(let l)):
            let a = exact ? s : s.lowercased()
            let b = exact ? l : l.lowercased()
            switch op {
            case .eq: return a == b
            case .ne: return a != b
            case .co: return a.contains(b)
            case .sw: return a.hasPrefix(b)
            case .ew: return a.hasSuffix(b)
            case .gt: return a > b
            case .ge: return a >= b
            case .lt: return a < b
            case .le: return a <= b
            }
        case (.number(let n), .number(let l)):
            switch op {
            case .eq: return n == l
            case .ne: return n != l
            case .gt: return n > l
            case .ge: return n >= l
            case .lt: return n < l
            case .le: return n <= l
            case .co, .sw, .ew: return false
            }
        case (.bool(let b), .bool(let l)):
            switch op {
            case .eq: return b == l
            case .ne: return b != l
            default: return false
            }
        default:
            return false
        }
    }
}
