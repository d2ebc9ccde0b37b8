/// What kind of value a local claim holds: decides the input a person gets and how what
/// they type is checked.
public enum ClaimType: String, Codable, Hashable, Sendable {
    case text, email, phone, date, country, url
}

/// One claim of the local dialect (`http://wso2.org/claims/…`).
public struct ClaimDefinition: Codable, Hashable, Sendable {
    public var uri: String
    public var displayName: String
    public var type: ClaimType
    /// Whether a person may give or change it (a username or roles are not theirs to type).
    public var userEditable: Bool

    public init(uri: String, displayName: String, type: ClaimType = .text, userEditable: Bool = true) {
        self.uri = uri
        self.displayName = displayName
        self.type = type
        self.userEditable = userEditable
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case uri, displayName, type, userEditable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uri = LocalClaims.uri(try c.decode(String.self, forKey: .uri))
        displayName = try c.decode(String.self, forKey: .displayName)
        type = try c.decodeIfPresent(ClaimType.self, forKey: .type) ?? .text
        userEditable = try c.decodeIfPresent(Bool.self, forKey: .userEditable) ?? true
    }
}

/// The local claim dialect: the claims that exist. A service provider may map only these,
/// and users carry only these (a misspelt claim URI is refused at configuration time).
public struct ClaimDialect: Hashable, Sendable {
    public let definitions: [ClaimDefinition]
    private let byURI: [String: ClaimDefinition]

    public init(_ definitions: [ClaimDefinition]) {
        self.definitions = definitions
        self.byURI = Dictionary(definitions.map { ($0.uri, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func definition(_ uri: String) -> ClaimDefinition? { byURI[uri] }

    /// These claims with `changes` laid over them: a definition with a known URI replaces
    /// that claim in place, a new URI is appended.
    public func overlaid(with changes: [ClaimDefinition]) -> [ClaimDefinition] {
        var result = definitions
        for change in changes {
            if let index = result.firstIndex(where: { $0.uri == change.uri }) { result[index] = change } else { result.append(change) }
        }
        return result
    }
    public func contains(_ uri: String) -> Bool { byURI[uri] != nil }

    public static func == (lhs: ClaimDialect, rhs: ClaimDialect) -> Bool { lhs.definitions == rhs.definitions }
    public func hash(into hasher: inout Hasher) { hasher.combine(definitions) }

    static func claim(_ name: String, _ display: String, _ type: ClaimType = .text, editable: Bool = true) -> ClaimDefinition {
        ClaimDefinition(uri: "\(LocalClaims.dialect)/\(name)", displayName: display, type: type, userEditable: editable)
    }

    /// The usual WSO2 set.
    public static let standard = ClaimDialect([
        claim("username", "Username", editable: false),
        claim("emailaddress", "Email address", .email),
        claim("givenname", "First name"),
        claim("lastname", "Last name"),
        claim("fullname", "Full name"),
        claim("middleName", "Middle name"),
        claim("nickname", "Nickname"),
        claim("organization", "Organization"),
        claim("country", "Country", .country),
        claim("mobile", "Mobile", .phone),
        claim("telephone", "Telephone", .phone),
        claim("role", "Roles", editable: false),
        claim("addresses", "Address"),
        claim("streetaddress", "Street address"),
        claim("locality", "Locality"),
        claim("region", "Region"),
        claim("postalcode", "Postal code"),
        claim("dob", "Birth date", .date),
        claim("gender", "Gender"),
        claim("url", "Web page", .url),
        claim("website", "Website", .url),
        claim("photourl", "Photo", .url),
        claim("timeZone", "Time zone"),
        claim("local", "Locale"),
        claim("modified", "Last modified", editable: false),
        claim("emailVerified", "Email verified", editable: false),
        claim("phoneVerified", "Phone verified", editable: false),
        // SCIM's externalId (RFC 7643 §3.1): the provisioning client's own id for the
        // account, as WSO2 keeps it; set by that client, not by the person.
        claim("externalid", "External ID", editable: false),
    ])
}
