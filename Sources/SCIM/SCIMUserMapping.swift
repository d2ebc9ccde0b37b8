public import IdentityCore
import Crypto
import Foundation

/// A user account as a SCIM User resource and back (PR-1): the account's own fields
/// (`userName`, `active` = not locked, `password`, `groups` = roles) and every other
/// attribute as the local claim the schemas name. One account record, whoever writes it —
/// the admin API, JIT provisioning or SCIM.
public struct SCIMUserMapping: Sendable {
    public let schemas: SCIMUserSchemas

    public init(schemas: SCIMUserSchemas) {
        self.schemas = schemas
    }

    /// What a POST or PUT body asks the account to be.
    public struct Input: Sendable, Equatable {
        public var userName: String
        public var password: String?
        public var active: Bool?
        /// Local claim URI → value; nil removes the claim (a PUT replaces them all).
        public var claims: [String: String?]
    }

    // MARK: account → resource

    /// The resource, without `meta.version` (the ETag is a hash of the rest; see `versioned`).
    public func resource(_ user: User, location: String, groupID: (String) -> String) -> SCIMValue {
        func value(_ claim: String?) -> SCIMValue? { claim.flatMap { user.claims[$0] }.map(SCIMValue.string) }
        var members: [(String, SCIMValue)] = [("schemas", .array([]))]
        var schemaIDs = [SCIMSchemaURN.user]
        for attribute in schemas.core.attributes {
            switch attribute.name {
            case "id": members.append(("id", .string(user.id)))
            case "userName": members.append(("userName", .string(user.username)))
            case "active": members.append(("active", .bool(!user.locked)))
            case "password": continue
            case "groups":
                if !user.roles.isEmpty {
                    members.append(("groups", .array(user.roles.sorted().map { role in
                        .object([("value", .string(groupID(role))), ("display", .string(role))])
                    })))
                }
            case "phoneNumbers":
                var numbers = [SCIMValue]()
                if let mobile = user.claims[LocalClaims.uri("mobile")] { numbers.append(.object([("value", .string(mobile)), ("type", .string("mobile"))])) }
                if let work = user.claims[LocalClaims.uri("telephone")] { numbers.append(.object([("value", .string(work)), ("type", .string("work"))])) }
                if !numbers.isEmpty { members.append(("phoneNumbers", .array(numbers))) }
            default:
                if attribute.type == .complex {
                    let subs = attribute.subAttributes.compactMap { sub in value(sub.claim).map { (sub.name, $0) } }
                    guard !subs.isEmpty else { continue }
                    if attribute.multiValued {
                        let primary: [(String, SCIMValue)] = attribute.subAttribute("primary") != nil ? [("primary", .bool(true))] : []
                        members.append((attribute.name, .array([.object(subs + primary)])))
                    } else {
                        members.append((attribute.name, .object(subs)))
                    }
                } else if let v = value(attribute.claim) {
                    members.append((attribute.name, v))
                }
            }
        }
        for extensionSchema in [schemas.enterprise, schemas.custom] {
            let values = extensionSchema.attributes.compactMap { attribute in value(attribute.claim).map { (attribute.name, $0) } }
            if !values.isEmpty {
                schemaIDs.append(extensionSchema.id)
                members.append((extensionSchema.id, .object(values)))
            }
        }
        members[0] = ("schemas", .array(schemaIDs.map(SCIMValue.string)))
        members.append(("meta", .object([("resourceType", .string("User")), ("location", .string(location))])))
        return .object(members)
    }

    /// `resource` with `meta.version`: a weak ETag over everything else, so any change to
    /// the account changes it and `If-Match` can tell (RFC 7644 §3.14) without a stored
    /// version counter.
    public static func versioned(_ resource: SCIMValue) -> (resource: SCIMValue, etag: String) {
        guard case .object(var members) = resource else { return (resource, "") }
        // Over the content, not `meta` (its location names the host the request came to).
        let digest = SHA256.hash(data: Data(SCIMValue.object(members.filter { $0.0 != "meta" }).jsonText().utf8))
        let etag = "W/\"" + Base64URL.encode(Array(digest.prefix(12))) + "\""
        if let index = members.firstIndex(where: { $0.0 == "meta" }), case .object(var meta) = members[index].1 {
            meta.append(("version", .string(etag)))
            members[index] = ("meta", .object(meta))
        }
        return (.object(members), etag)
    }

    // MARK: resource → account

    /// Reads a POST/PUT body. readOnly attributes (`id`, `meta`, `groups`) are ignored, as
    /// RFC 7644 §3.5.1 says; an attribute no schema has, a value of the wrong type, or more
    /// values than this server stores is refused, never dropped. Every claim the schemas
    /// map is in `claims`, nil when the body leaves it out: a PUT removes those, a POST
    /// has nothing to remove.
    public func input(from body: SCIMValue) throws(SCIMError) -> Input {
        guard case .object(let members) = body else { throw SCIMError(.scimInvalidSyntax, detail: "the body is not a JSON object") }
        guard case .array(let declared)? = body.member("schemas"), declared.contains(.string(SCIMSchemaURN.user)) else {
            throw SCIMError(.scimInvalidSyntax, field: "schemas", detail: "schemas must list \(SCIMSchemaURN.user)")
        }
        var input = Input(userName: "", password: nil, active: nil, claims: [:])
        // Read-only attributes (a custom claim a person may not edit, such as emailVerified)
        // are neither written nor cleared: a PUT or PATCH leaves them as they are.
        for attribute in schemas.all.flatMap(\.attributes) where attribute.mutability != .readOnly {
            for claim in [attribute.claim] + attribute.subAttributes.map(\.claim) { if let claim { input.claims[claim] = .some(nil) } }
        }
        if schemas.core.attribute("phoneNumbers") != nil {
            input.claims[LocalClaims.uri("mobile")] = .some(nil)
            input.claims[LocalClaims.uri("telephone")] = .some(nil)
        }
        for (name, value) in members {
            // Common read-only attributes (RFC 7643 §3.1) are ignored, as RFC 7644 §3.5.1 says.
            if ["schemas", "meta"].contains(name.lowercased()) { continue }
            if let extensionSchema = [schemas.enterprise, schemas.custom].first(where: { $0.id.caseInsensitiveCompare(name) == .orderedSame }) {
                guard case .object(let values) = value else { throw SCIMError(.scimInvalidValue, field: name, detail: "an extension is an object") }
                // Common read-only attributes some clients repeat inside an extension's object.
                for (attributeName, attributeValue) in values where !["schemas", "meta"].contains(attributeName.lowercased()) {
                    guard let attribute = extensionSchema.attribute(attributeName) else {
                        throw SCIMError(.scimInvalidValue, field: "\(name):\(attributeName)", detail: "no such attribute in \(extensionSchema.id)")
                    }
                    guard attribute.mutability != .readOnly, let claim = attribute.claim else { continue }
                    input.claims[claim] = .some(try Self.string(attributeValue, field: "\(name):\(attributeName)"))
                }
                continue
            }
            guard let attribute = schemas.core.attribute(name) else {
                throw SCIMError(.scimInvalidValue, field: name, detail: "no such attribute in \(SCIMSchemaURN.user) or its extensions")
            }
            switch attribute.name {
            case "id", "groups": continue
            case "userName": input.userName = try Self.string(value, field: "userName") ?? ""
            case "password": input.password = try Self.string(value, field: "password")
            case "active":
                guard case .bool(let active) = value else { throw SCIMError(.scimInvalidValue, field: "active", detail: "active is a boolean") }
                input.active = active
            case "phoneNumbers":
                for number in try Self.values(value, field: name) {
                    let type = number.member("type")?.stringValue ?? "mobile"
                    guard let claim = type == "work" ? LocalClaims.uri("telephone") : type == "mobile" ? LocalClaims.uri("mobile") : nil,
                        input.claims[claim] != nil
                    else { throw SCIMError(.scimInvalidValue, field: "phoneNumbers.type", value: type, detail: "mobile or work") }
                    guard input.claims[claim]! == nil else {
                        throw SCIMError(.scimInvalidValue, field: "phoneNumbers", detail: "one \(type) number is stored")
                    }
                    input.claims[claim] = .some(try Self.string(number.member("value") ?? .null, field: "phoneNumbers.value"))
                }
            default:
                if attribute.type == .complex {
                    let items = attribute.multiValued ? try Self.values(value, field: name) : [value]
                    guard items.count <= 1 else {
                        throw SCIMError(.scimInvalidValue, field: name, detail: "this server stores one \(name) value; send one")
                    }
                    for item in items {
                        guard case .object(let subs) = item else { throw SCIMError(.scimInvalidValue, field: name, detail: "\(name) holds objects") }
                        for (subName, subValue) in subs {
                            guard let sub = attribute.subAttribute(subName) else {
                                throw SCIMError(.scimInvalidValue, field: "\(name).\(subName)", detail: "no such sub-attribute")
                            }
                            if let claim = sub.claim { input.claims[claim] = .some(try Self.string(subValue, field: "\(name).\(subName)")) }
                        }
                    }
                } else if let claim = attribute.claim {
                    input.claims[claim] = .some(try Self.string(value, field: name))
                }
            }
        }
        guard !input.userName.isEmpty else { throw SCIMError(.scimInvalidValue, field: "userName", detail: "userName is required") }
        return input
    }

    static func values(_ value: SCIMValue, field: String) throws(SCIMError) -> [SCIMValue] {
        switch value {
        case .array(let items): items
        case .null: []
        default: throw SCIMError(.scimInvalidValue, field: field, detail: "\(field) is multi-valued: an array")
        }
    }

    /// A string attribute's value; null or "" clears it.
    static func string(_ value: SCIMValue, field: String) throws(SCIMError) -> String? {
        switch value {
        case .string(let s): s.isEmpty ? nil : s
        case .null: nil
        default: throw SCIMError(.scimInvalidValue, field: field, detail: "\(field) is a string")
        }
    }
}
