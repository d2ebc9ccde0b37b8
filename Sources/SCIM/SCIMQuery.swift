import Foundation
public import IdentityCore
/// A query over a resource type (RFC 7644 §3.4.2, §3.4.3): filter, sort, page and the
/// attributes to return — the same for `GET /Users?…` and `POST /Users/.search`.
public struct SCIMQuery: Sendable {
    public var filter: SCIMFilter?
    public var sortBy: SCIMAttributePath?
    public var descending: Bool
    /// 1-based (RFC 7644 §3.4.2.4); below 1 is taken as 1.
    public var startIndex: Int
    public var count: Int
    public var attributes: [SCIMAttributePath]
    public var excludedAttributes: [SCIMAttributePath]

    /// At most this many resources per page (ServiceProviderConfig `filter.maxResults`).
    public static let maximumCount = 200
    public static let defaultCount = 100

    /// Reads the query parameters (or a SearchRequest's members, as strings), checking each
    /// path against the schemas and refusing a filter or sort on a writeOnly attribute.
    public init(parameters: [String: String], schemas: some SCIMResourceSchemas, parser: SCIMFilterParser = SCIMFilterParser()) throws(SCIMError) {
        func known(_ path: SCIMAttributePath, code: ErrorCode) throws(SCIMError) -> SCIMAttributePath {
            guard let definition = schemas.definition(of: path) ?? Self.common(path) else {
                throw SCIMError(code, value: path.description, detail: "no attribute \(path) in the \(schemas.core.name) schemas")
            }
            guard definition.mutability != .writeOnly else {
                throw SCIMError(.scimSensitive, value: path.description, detail: "\(path) is never disclosed, nor compared")
            }
            return path
        }
        if let text = parameters["filter"] {
            let parsed = try parser.parse(text)
            for path in parsed.paths { _ = try known(path, code: .scimInvalidFilter) }
            // RFC 7644 §3.4.2.2: co/sw/ew compare strings; gt/ge/lt/le are not defined on
            // booleans (or complex values).
            for (path, op) in parsed.comparisons {
                guard let type = (schemas.definition(of: path) ?? Self.common(path))?.type else { continue }
                if [.co, .sw, .ew].contains(op) && type != .string && type != .reference || [.gt, .ge, .lt, .le].contains(op) && (type == .boolean || type == .complex) {
                    throw SCIMError(.scimInvalidFilter, value: "\(path) \(op.rawValue)", detail: "\(op.rawValue) is not defined for \(type.rawValue) \(path)")
                }
            }
            filter = parsed
        }
        if let text = parameters["sortBy"] {
            sortBy = try known(try parser.parsePath(text).attribute, code: .scimInvalidPath)
        }
        switch parameters["sortOrder"]?.lowercased() {
        case nil, "ascending": descending = false
        case "descending": descending = true
        case let other?: throw SCIMError(.scimInvalidValue, field: "sortOrder", value: other, detail: "ascending or descending")
        }
        func integer(_ name: String, default value: Int) throws(SCIMError) -> Int {
            guard let text = parameters[name] else { return value }
            guard let number = Int(text) else { throw SCIMError(.scimInvalidValue, field: name, value: text, detail: "\(name) is an integer") }
            return number
        }
        startIndex = max(1, try integer("startIndex", default: 1))
        // RFC 7644 §3.4.2.4: a negative count is 0; more than the maximum is answered with
        // the maximum (itemsPerPage says how many came).
        count = min(max(0, try integer("count", default: Self.defaultCount)), Self.maximumCount)
        func paths(_ name: String) throws(SCIMError) -> [SCIMAttributePath] {
            guard let text = parameters[name] else { return [] }
            var result = [SCIMAttributePath]()
            for item in text.split(separator: ",") {
                let name = item.trimmingCharacters(in: .whitespaces)
                // A whole extension, by its URN alone (which the path grammar would split).
                if let urn = schemas.all.first(where: { $0.id.caseInsensitiveCompare(name) == .orderedSame && $0.id != schemas.core.id })?.id {
                    result.append(SCIMAttributePath(attribute: urn))
                    continue
                }
                result.append(try known(try parser.parsePath(name).attribute, code: .scimInvalidPath))
            }
            return result
        }
        attributes = try paths("attributes")
        excludedAttributes = try paths("excludedAttributes")
        if !attributes.isEmpty && !excludedAttributes.isEmpty {
            throw SCIMError(.scimInvalidValue, field: "attributes", detail: "give attributes or excludedAttributes, not both")
        }
    }

    /// `meta` and `schemas` (RFC 7643 §3.1): common to every resource.
    static func common(_ path: SCIMAttributePath) -> SCIMAttributeDefinition? {
        switch path.attribute.lowercased() {
        case "meta":
            let meta = SCIMAttributeDefinition(
                "meta", .complex, description: "Resource metadata", mutability: .readOnly,
                subAttributes: ["resourceType", "created", "lastModified", "location", "version"].map {
                    SCIMAttributeDefinition($0, description: $0, mutability: .readOnly)
                })
            return path.subAttribute.map { meta.subAttribute($0) } ?? meta
        case "schemas": return SCIMAttributeDefinition("schemas", multiValued: true, description: "Schemas", mutability: .readOnly, returned: .always)
        default: return nil
        }
    }

    /// The page of `resources` the query asks for, matched, sorted and trimmed to the
    /// attributes asked for, and the total that matched.
    public func run(_ resources: [SCIMValue], evaluator: SCIMFilterEvaluator, schemas: some SCIMResourceSchemas) -> (total: Int, page: [SCIMValue]) {
        var matched = filter.map { filter in resources.filter { evaluator.matches($0, filter) } } ?? resources
        if let sortBy {
            let exact = schemas.definition(of: sortBy)?.caseExact ?? false
            let keyed = matched.map { resource -> (SCIMValue, SCIMValue?) in (resource, evaluator.values(of: sortBy, in: resource).first) }
            matched = keyed.sorted { a, b in
                switch (a.1, b.1) {
                case (nil, _): false  // RFC 7644 §3.4.2.3: missing values last, whichever the order
                case (_, nil): true
                default: descending ? Self.ascending(b.1, a.1, exact: exact) : Self.ascending(a.1, b.1, exact: exact)
                }
            }.map(\.0)
        }
        let start = startIndex - 1
        let page = start < matched.count ? Array(matched[start..<min(matched.count, start + count)]) : []
        return (matched.count, page.map { project($0, schemas: schemas) })
    }

    static func ascending(_ a: SCIMValue?, _ b: SCIMValue?, exact: Bool) -> Bool {
        switch (a, b) {
        case (.string(let x)?, .string(let y)?): exact ? x < y : x.lowercased() < y.lowercased()
        case (.number(let x)?, .number(let y)?): x < y
        case (.bool(let x)?, .bool(let y)?): !x && y
        default: false
        }
    }

    /// `attributes` keeps those (and what is always returned: `id`, `schemas`, `userName` or `displayName`
    /// by its definition); `excludedAttributes` drops those that are not always returned.
    public func project(_ resource: SCIMValue, schemas: some SCIMResourceSchemas) -> SCIMValue {
        guard case .object(let members) = resource, !attributes.isEmpty || !excludedAttributes.isEmpty else { return resource }
        func always(_ name: String) -> Bool {
            ["id", "schemas"].contains(name.lowercased()) || schemas.core.attribute(name)?.returned == .always
        }
        func named(_ path: SCIMAttributePath, _ name: String, in schema: String?) -> Bool {
            path.attribute.caseInsensitiveCompare(name) == .orderedSame && (path.schema == nil || path.schema?.caseInsensitiveCompare(schema ?? schemas.core.id) == .orderedSame)
        }
        var kept = [(String, SCIMValue)]()
        for (name, value) in members {
            let extensionSchema = schemas.all.first { $0.id.caseInsensitiveCompare(name) == .orderedSame && $0.id != schemas.core.id }
            if let extensionSchema, case .object(let inner) = value {
                let filtered = inner.filter { innerName, _ in
                    let paths = attributes.isEmpty ? excludedAttributes : attributes
                    let listed = paths.contains { $0.schema?.caseInsensitiveCompare(extensionSchema.id) == .orderedSame && $0.attribute.caseInsensitiveCompare(innerName) == .orderedSame }
                        || paths.contains { $0.schema == nil && $0.attribute.caseInsensitiveCompare(name) == .orderedSame }
                    return attributes.isEmpty ? !listed : listed
                }
                if !filtered.isEmpty { kept.append((name, .object(filtered))) }
                continue
            }
            if always(name) { kept.append((name, value)); continue }
            if !attributes.isEmpty {
                let wanted = attributes.filter { named($0, name, in: nil) }
                guard !wanted.isEmpty else { continue }
                // Only some sub-attributes asked for: keep those of a complex value.
                if wanted.allSatisfy({ $0.subAttribute != nil }) {
                    let subs = Set(wanted.compactMap { $0.subAttribute?.lowercased() })
                    kept.append((name, Self.filtering(value, sub: subs.contains)))
                } else {
                    kept.append((name, value))
                }
            } else if !excludedAttributes.contains(where: { named($0, name, in: nil) && $0.subAttribute == nil }) {
                // Only some sub-attributes excluded: drop those of a complex value.
                let subs = Set(excludedAttributes.filter { named($0, name, in: nil) }.compactMap { $0.subAttribute?.lowercased() })
                kept.append((name, subs.isEmpty ? value : Self.filtering(value, sub: { !subs.contains($0) })))
            }
        }
        return .object(kept)
    }

    /// A complex value (or each of a multi-valued one) with the sub-attributes whose
    /// lowercased name `sub` accepts.
    static func filtering(_ value: SCIMValue, sub: (String) -> Bool) -> SCIMValue {
        switch value {
        case .object(let members): .object(members.filter { sub($0.0.lowercased()) })
        case .array(let items): .array(items.map { filtering($0, sub: sub) })
        default: value
        }
    }

    /// A ListResponse of every item (the discovery endpoints, which take no query).
    public static func listAll(_ items: [SCIMValue]) -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.listResponse)])), ("totalResults", .number(Double(items.count))),
            ("startIndex", .number(1)), ("itemsPerPage", .number(Double(items.count))), ("Resources", .array(items)),
        ])
    }

    /// A ListResponse (RFC 7644 §3.4.2).
    public func listResponse(total: Int, page: [SCIMValue]) -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.listResponse)])), ("totalResults", .number(Double(total))),
            ("startIndex", .number(Double(startIndex))), ("itemsPerPage", .number(Double(page.count))), ("Resources", .array(page)),
        ])
    }
}


