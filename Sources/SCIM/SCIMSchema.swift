/// One attribute of a SCIM schema (RFC 7643 §7), and where the server keeps it: the local
/// claim it is stored as, when it is one.
public struct SCIMAttributeDefinition: Sendable {
    public enum DataType: String, Sendable { case string, boolean, decimal, integer, dateTime, reference, complex }
    public enum Mutability: String, Sendable { case readOnly, readWrite, immutable, writeOnly }
    public enum Returned: String, Sendable { case always, never, `default`, request }
    public enum Uniqueness: String, Sendable { case none, server, global }

    public var name: String
    public var type: DataType
    public var multiValued: Bool
    public var description: String
    public var required: Bool
    public var caseExact: Bool
    public var mutability: Mutability
    public var returned: Returned
    public var uniqueness: Uniqueness
    public var subAttributes: [SCIMAttributeDefinition]
    public var canonicalValues: [String]
    /// What a reference may point at (RFC 7643 §7 `referenceTypes`: `User`, `external`, `uri`).
    public var referenceTypes: [String]
    /// The local claim URI it is stored as; nil for attributes the account itself holds
    /// (userName, password, active, groups) or that are computed (id, meta).
    public var claim: String?

    public init(
        _ name: String, _ type: DataType = .string, multiValued: Bool = false, description: String, required: Bool = false,
        caseExact: Bool = false, mutability: Mutability = .readWrite, returned: Returned = .default, uniqueness: Uniqueness = .none,
        subAttributes: [SCIMAttributeDefinition] = [], canonicalValues: [String] = [], referenceTypes: [String] = [], claim: String? = nil
    ) {
        self.referenceTypes = referenceTypes
        self.name = name
        self.type = type
        self.multiValued = multiValued
        self.description = description
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.subAttributes = subAttributes
        self.canonicalValues = canonicalValues
        self.claim = claim
    }

    /// A sub-attribute by name, case-insensitively.
    public func subAttribute(_ name: String) -> SCIMAttributeDefinition? {
        subAttributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// RFC 7643 §7's representation, for `/Schemas`.
    public var representation: SCIMValue {
        var members: [(String, SCIMValue)] = [
            ("name", .string(name)), ("type", .string(type.rawValue)), ("multiValued", .bool(multiValued)),
            ("description", .string(description)), ("required", .bool(required)),
        ]
        if type == .string || type == .reference { members.append(("caseExact", .bool(caseExact))) }
        if !canonicalValues.isEmpty { members.append(("canonicalValues", .array(canonicalValues.map(SCIMValue.string)))) }
        if !referenceTypes.isEmpty { members.append(("referenceTypes", .array(referenceTypes.map(SCIMValue.string)))) }
        members += [("mutability", .string(mutability.rawValue)), ("returned", .string(returned.rawValue)), ("uniqueness", .string(uniqueness.rawValue))]
        if !subAttributes.isEmpty { members.append(("subAttributes", .array(subAttributes.map(\.representation)))) }
        return .object(members)
    }
}

/// A schema (RFC 7643 §2.2, §7): its URN and attributes.
public struct SCIMSchema: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [SCIMAttributeDefinition]

    public init(id: String, name: String, description: String, attributes: [SCIMAttributeDefinition]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
    }

    public func attribute(_ name: String) -> SCIMAttributeDefinition? {
        attributes.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func representation(location: String) -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.schema)])), ("id", .string(id)), ("name", .string(name)),
            ("description", .string(description)), ("attributes", .array(attributes.map(\.representation))),
            ("meta", .object([("resourceType", .string("Schema")), ("location", .string(location + "/Schemas/" + id))])),
        ])
    }
}

/// The URNs of RFC 7643 and RFC 7644.
public enum SCIMSchemaURN {
    public static let user = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    public static let enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    /// WSO2's custom extension: every local claim no standard attribute holds, by its short name.
    public static let custom = "urn:scim:wso2:schema"
    public static let schema = "urn:ietf:params:scim:schemas:core:2.0:Schema"
    public static let resourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
    public static let serviceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    public static let listResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
    public static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    public static let bulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    public static let bulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
    public static let searchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
    public static let error = "urn:ietf:params:scim:api:messages:2.0:Error"
}
