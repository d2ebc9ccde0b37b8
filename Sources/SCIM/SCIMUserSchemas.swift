public import IdentityCore

/// The User resource's schemas (RFC 7643 §4.1, §4.3, and WSO2's custom extension) over the
/// server's claim dialect: each SCIM attribute is stored as the local claim WSO2's SCIM2
/// mapping names for it, and exists here only when the dialect has that claim; every other
/// claim of the dialect is an attribute of the custom extension under its short name, so
/// nothing a person carries is out of SCIM's reach.
public struct SCIMUserSchemas: Sendable {
    public let core: SCIMSchema
    public let enterprise: SCIMSchema
    public let custom: SCIMSchema

    typealias A = SCIMAttributeDefinition

    /// Claims the account itself holds, never written as claims by SCIM.
    static let accountClaims: Set<String> = [LocalClaims.username, LocalClaims.role]

    public init(dialect: ClaimDialect) {
        func claim(_ short: String) -> String? {
            let uri = LocalClaims.uri(short)
            return dialect.contains(uri) ? uri : nil
        }
        func optional(_ attribute: A) -> A? {
            if attribute.type == .complex {
                var copy = attribute
                copy.subAttributes = attribute.subAttributes.filter { $0.claim != nil || $0.name == "type" || $0.name == "primary" || $0.name == "display" }
                return copy.subAttributes.contains { $0.claim != nil } ? copy : nil
            }
            return attribute.claim == nil ? nil : attribute
        }
        let valueTypes = { (types: [String], claim: String?) in
            [
                A("value", description: "The value.", claim: claim),
                A("type", description: "What kind of value it is.", canonicalValues: types),
                A("primary", .boolean, description: "The preferred value."),
            ]
        }
        var coreAttributes: [A] = [
            A("id", description: "Unique identifier, issued by the server.", caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server),
            A("externalId", description: "The provisioning client's identifier.", caseExact: true, claim: claim("externalid")),
            A("userName", description: "Unique identifier used to sign in (RFC 8265 rules, as for every account).", required: true,
              returned: .always, uniqueness: .server),
            A("name", .complex, description: "The person's name.", subAttributes: [
                A("formatted", description: "The full name.", claim: claim("fullname")),
                A("familyName", description: "The family name.", claim: claim("lastname")),
                A("givenName", description: "The given name.", claim: claim("givenname")),
                A("middleName", description: "The middle name.", claim: claim("middleName")),
            ]),
            A("displayName", description: "The name to show.", claim: claim("displayName")),
            A("nickName", description: "The casual name.", claim: claim("nickname")),
            A("profileUrl", .reference, description: "A page about the person.", claim: claim("url")),
            A("locale", description: "Preferred locale.", claim: claim("local")),
            A("timezone", description: "Time zone (IANA).", claim: claim("timeZone")),
            A("active", .boolean, description: "Whether the account may sign in (false: locked)."),
            A("password", description: "Write-only: hashed, never returned.", caseExact: true, mutability: .writeOnly, returned: .never),
            A("emails", .complex, multiValued: true, description: "E-mail address (one is stored).",
              subAttributes: valueTypes(["work", "home", "other"], claim("emailaddress"))),
            A("phoneNumbers", .complex, multiValued: true, description: "Phone numbers: mobile and work.", subAttributes: [
                A("value", description: "The number."), A("type", description: "mobile or work.", canonicalValues: ["mobile", "work"]),
                A("primary", .boolean, description: "The preferred number."),
            ]),
            A("photos", .complex, multiValued: true, description: "A photo URL (one is stored).",
              subAttributes: valueTypes(["photo", "thumbnail"], claim("photourl"))),
            A("addresses", .complex, multiValued: true, description: "A postal address (one is stored).", subAttributes: [
                A("formatted", description: "The whole address.", claim: claim("addresses")),
                A("streetAddress", description: "Street.", claim: claim("streetaddress")),
                A("locality", description: "City or locality.", claim: claim("locality")),
                A("region", description: "State or region.", claim: claim("region")),
                A("postalCode", description: "Postal code.", claim: claim("postalcode")),
                A("country", description: "Country.", claim: claim("country")),
                A("type", description: "What kind of address.", canonicalValues: ["work", "home", "other"]),
            ]),
            A("groups", .complex, multiValued: true, description: "The groups (roles) the user is in; changed through the Groups.",
              mutability: .readOnly, subAttributes: [
                A("value", description: "The group's id.", mutability: .readOnly), A("display", description: "The group's name.", mutability: .readOnly),
            ]),
        ]
        // phoneNumbers: two claims by type; present when either is.
        let mobile = claim("mobile")
        let telephone = claim("telephone")
        coreAttributes = coreAttributes.compactMap { attribute in
            switch attribute.name {
            case "id", "userName", "active", "password", "groups": return attribute
            case "phoneNumbers": return mobile != nil || telephone != nil ? attribute : nil
            default: return optional(attribute)
            }
        }
        core = SCIMSchema(id: SCIMSchemaURN.user, name: "User", description: "User Account", attributes: coreAttributes)
        enterprise = SCIMSchema(
            id: SCIMSchemaURN.enterpriseUser, name: "EnterpriseUser", description: "Enterprise User",
            attributes: [
                A("employeeNumber", description: "The organisation's number for the person.", claim: claim("employeeNumber")),
                A("organization", description: "The organisation.", claim: claim("organization")),
                A("department", description: "The department.", claim: claim("department")),
            ].compactMap(optional))
        var mapped = Set(coreAttributes.flatMap { [$0.claim] + $0.subAttributes.map(\.claim) }.compactMap { $0 } + [mobile, telephone].compactMap { $0 })
        mapped.formUnion(enterprise.attributes.compactMap(\.claim))
        let rest = dialect.definitions.filter { !mapped.contains($0.uri) && !Self.accountClaims.contains($0.uri) }
        custom = SCIMSchema(
            id: SCIMSchemaURN.custom, name: "WSO2", description: "The local claims no standard attribute holds",
            attributes: rest.map { definition in
                A(Self.shortName(definition.uri), description: definition.displayName,
                  mutability: definition.userEditable ? .readWrite : .readOnly, claim: definition.uri)
            })
    }

    /// The claim's last path segment: `http://wso2.org/claims/dob` → `dob`.
    static func shortName(_ uri: String) -> String {
        String(uri.split(separator: "/").last ?? Substring(uri))
    }

    public var all: [SCIMSchema] { [core, enterprise, custom] }

    /// The extensions' URNs.
    public var extensionIDs: [String] { [enterprise.id, custom.id] }
}

/// A resource type's schemas: its core schema and any extensions. Queries check their
/// paths against these, whichever the resource.
public protocol SCIMResourceSchemas: Sendable {
    var core: SCIMSchema { get }
    /// The core schema first, then the extensions.
    var all: [SCIMSchema] { get }
}

extension SCIMResourceSchemas {
    /// The schema of an attribute path (core when it names no URN).
    public func schema(for path: SCIMAttributePath) -> SCIMSchema? {
        guard let urn = path.schema else { return core }
        return all.first { $0.id.caseInsensitiveCompare(urn) == .orderedSame }
    }

    /// The definition a path names, its sub-attribute's when it has one.
    public func definition(of path: SCIMAttributePath) -> SCIMAttributeDefinition? {
        guard let attribute = schema(for: path)?.attribute(path.attribute) else { return nil }
        guard let sub = path.subAttribute else { return attribute }
        return attribute.subAttribute(sub)
    }
}

extension SCIMUserSchemas: SCIMResourceSchemas {}

/// Users' and Groups' schemas as one, for a search at the root (RFC 7644 §3.4.3): the User
/// core with the Group attributes it lacks, and every extension.
public struct SCIMCombinedSchemas: SCIMResourceSchemas {
    public let core: SCIMSchema
    public let all: [SCIMSchema]

    public init(users: SCIMUserSchemas, groups: SCIMGroupSchemas) {
        let extra = groups.core.attributes.filter { users.core.attribute($0.name) == nil }
        core = SCIMSchema(id: users.core.id, name: "User or Group", description: "Users and Groups", attributes: users.core.attributes + extra)
        all = [core] + users.all.dropFirst()
    }
}

/// The Group resource's schema (RFC 7643 §4.2). Here a group is a role: its id and
/// displayName are the role's name, its members the accounts that have it.
public struct SCIMGroupSchemas: SCIMResourceSchemas {
    public let core: SCIMSchema
    public var all: [SCIMSchema] { [core] }

    public init() {
        typealias A = SCIMAttributeDefinition
        core = SCIMSchema(
            id: SCIMSchemaURN.group, name: "Group", description: "Group (a role)",
            attributes: [
                A("id", description: "The role's name.", caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server),
                A("externalId", description: "The provisioning client's identifier.", caseExact: true),
                A("displayName", description: "The role's name; it cannot change, as it is the id.", required: true, mutability: .immutable,
                  returned: .always, uniqueness: .server),
                A("members", .complex, multiValued: true, description: "The users that have the role.", subAttributes: [
                    A("value", description: "A user's id.", caseExact: true, mutability: .immutable),
                    A("display", description: "The user's userName.", mutability: .readOnly),
                    A("type", description: "User.", mutability: .immutable, canonicalValues: ["User"]),
                    A("$ref", .reference, description: "The user's URI.", mutability: .immutable, referenceTypes: ["User"]),
                ]),
            ])
    }
}
