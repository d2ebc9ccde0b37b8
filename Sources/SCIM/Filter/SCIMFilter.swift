/// An attribute path (RFC 7644 §3.10): an optional schema URN, an attribute, an optional
/// sub-attribute — `userName`, `name.familyName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`. Names
/// compare case-insensitively (RFC 7643 §2.1); the URN is kept as written.
public struct SCIMAttributePath: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var attribute: String
    public var subAttribute: String?

    public init(schema: String? = nil, attribute: String, subAttribute: String? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.subAttribute = subAttribute
    }

    public var description: String {
        (schema.map { $0 + ":" } ?? "") + attribute + (subAttribute.map { "." + $0 } ?? "")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.schema?.lowercased() == rhs.schema?.lowercased() && lhs.attribute.lowercased() == rhs.attribute.lowercased()
            && lhs.subAttribute?.lowercased() == rhs.subAttribute?.lowercased()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(schema?.lowercased())
        hasher.combine(attribute.lowercased())
        hasher.combine(subAttribute?.lowercased())
    }
}

/// The comparison operators of RFC 7644 §3.4.2.2.
public enum SCIMComparison: String, Sendable, CaseIterable {
    case eq, ne, co, sw, ew, gt, ge, lt, le
}

/// A literal a filter compares with: JSON's false, null, true, a number or a string.
public enum SCIMLiteral: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}

/// A parsed filter (RFC 7644 §3.4.2.2). `and` binds tighter than `or`; `not` applies to a
/// parenthesised filter; a value path (`emails[type eq "work"]`) holds a filter over the
/// members of one multi-valued attribute.
public indirect enum SCIMFilter: Sendable, Equatable {
    case present(SCIMAttributePath)
    case compare(SCIMAttributePath, SCIMComparison, SCIMLiteral)
    case and(SCIMFilter, SCIMFilter)
    case or(SCIMFilter, SCIMFilter)
    case not(SCIMFilter)
    /// `attribute[filter]`: some member of the multi-valued attribute matches `filter`,
    /// whose paths name the member's sub-attributes.
    case valuePath(SCIMAttributePath, SCIMFilter)

    /// Every comparison, with the full path it compares (for checking operators against
    /// attribute types).
    public var comparisons: [(path: SCIMAttributePath, op: SCIMComparison)] {
        switch self {
        case .present: []
        case .compare(let p, let op, _): [(p, op)]
        case .and(let a, let b), .or(let a, let b): a.comparisons + b.comparisons
        case .not(let f): f.comparisons
        case .valuePath(let p, let f):
            f.comparisons.map { (SCIMAttributePath(schema: p.schema, attribute: p.attribute, subAttribute: $0.path.attribute), $0.op) }
        }
    }

    /// Every attribute path the filter reads (for checking them against a schema).
    public var paths: [SCIMAttributePath] {
        switch self {
        case .present(let p), .compare(let p, _, _): [p]
        case .and(let a, let b), .or(let a, let b): a.paths + b.paths
        case .not(let f): f.paths
        case .valuePath(let p, let f): [p] + f.paths.map { SCIMAttributePath(schema: p.schema, attribute: p.attribute, subAttribute: $0.attribute) }
        }
    }
}
