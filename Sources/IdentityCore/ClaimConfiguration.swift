/// How an application names and asks for claims (CL-1, CL-2, CL-5).
public struct ClaimConfiguration: Codable, Hashable, Sendable {
    /// CL-1: `local` — the SP uses local claim URIs; `custom` — it names its own claims,
    /// each mapped to a local claim.
    public enum Dialect: String, Codable, Hashable, Sendable {
        case local, custom
    }

    public var dialect: Dialect
    public var mappings: [ClaimMapping]
    /// CL-5: the local claim whose value is the subject identifier; nil means the username.
    public var subjectClaim: String?
    /// CL-6: append `@tenant` to the subject identifier.
    public var subjectIncludesTenantDomain: Bool
    /// CL-6: prefix the user store (`SECONDARY/alice`) to the subject identifier.
    public var subjectIncludesUserStoreDomain: Bool
    /// CL-6, WSO2's "Assert identity using mapped local subject identifier"
    /// (`useMappedLocalSubject` in its application API): a federated person who has an
    /// account here (provisioned or associated) reaches this SP as that account — its
    /// subject and its claims. Off, the SP gets the person as the IdP presented them: the
    /// subject `<idp>/<user ID>` and the IdP's claims as mapped. WSO2 leaves it off by
    /// default; here it is on, so that the subject an SP keys its users on is an account's
    /// unless the SP asks otherwise.
    public var useMappedLocalSubject: Bool
    /// CL-7: the claim, by the SP's name for it, that carries the user's roles; nil means
    /// the mapping of the local role claim.
    public var roleClaim: String?
    /// CL-7: local role name → the SP's role name; unmapped roles keep their name.
    public var roleMappings: [RoleMapping]
    /// Do not ask for consent (CL-4) before releasing claims to this SP.
    public var skipConsent: Bool

    public init(
        dialect: Dialect = .local, mappings: [ClaimMapping] = [], subjectClaim: String? = nil, subjectIncludesTenantDomain: Bool = false,
        subjectIncludesUserStoreDomain: Bool = false, useMappedLocalSubject: Bool = true, roleClaim: String? = nil,
        roleMappings: [RoleMapping] = [], skipConsent: Bool = false
    ) {
        self.dialect = dialect
        self.mappings = mappings
        self.subjectClaim = subjectClaim
        self.subjectIncludesTenantDomain = subjectIncludesTenantDomain
        self.subjectIncludesUserStoreDomain = subjectIncludesUserStoreDomain
        self.useMappedLocalSubject = useMappedLocalSubject
        self.roleClaim = roleClaim
        self.roleMappings = roleMappings
        self.skipConsent = skipConsent
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dialect, mappings, subjectClaim, subjectIncludesTenantDomain, subjectIncludesUserStoreDomain, useMappedLocalSubject, roleClaim,
            roleMappings, skipConsent
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dialect = try c.decodeIfPresent(Dialect.self, forKey: .dialect) ?? .local
        mappings = try c.decodeIfPresent([ClaimMapping].self, forKey: .mappings) ?? []
        subjectClaim = try c.decodeIfPresent(String.self, forKey: .subjectClaim).map(LocalClaims.uri)
        subjectIncludesTenantDomain = try c.decodeIfPresent(Bool.self, forKey: .subjectIncludesTenantDomain) ?? false
        subjectIncludesUserStoreDomain = try c.decodeIfPresent(Bool.self, forKey: .subjectIncludesUserStoreDomain) ?? false
        useMappedLocalSubject = try c.decodeIfPresent(Bool.self, forKey: .useMappedLocalSubject) ?? true
        roleClaim = try c.decodeIfPresent(String.self, forKey: .roleClaim)
        roleMappings = try c.decodeIfPresent([RoleMapping].self, forKey: .roleMappings) ?? []
        skipConsent = try c.decodeIfPresent(Bool.self, forKey: .skipConsent) ?? false
    }

    /// Local claims the SP asks for (requested or mandatory), in mapping order.
    public var offered: [String] {
        var seen = Set<String>()
        return mappings.filter { ($0.requested || $0.mandatory) && seen.insert($0.local).inserted }.map(\.local)
    }

    public var mandatory: Set<String> { Set(mappings.filter(\.mandatory).map(\.local)) }

    /// The claims released to the SP (CL-2: requested or mandatory), as
    /// (name the SP knows it by, local claim URI).
    public var released: [(spClaim: String, localClaim: String)] {
        mappings.filter { $0.requested || $0.mandatory }.map { ($0.name(in: dialect), $0.local) }
    }
}

/// One claim an application is configured for.
public struct ClaimMapping: Codable, Hashable, Sendable {
    /// The local claim URI (`http://wso2.org/claims/emailaddress`).
    public var local: String
    /// The SP's own name for it (custom dialect only).
    public var sp: String?
    public var requested: Bool
    public var mandatory: Bool

    public init(local: String, sp: String? = nil, requested: Bool = true, mandatory: Bool = false) {
        self.local = local
        self.sp = sp
        self.requested = requested
        self.mandatory = mandatory
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case local, sp, requested, mandatory }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        local = LocalClaims.uri(try c.decode(String.self, forKey: .local))
        sp = try c.decodeIfPresent(String.self, forKey: .sp)
        requested = try c.decodeIfPresent(Bool.self, forKey: .requested) ?? true
        mandatory = try c.decodeIfPresent(Bool.self, forKey: .mandatory) ?? false
    }

    /// The name under which the SP receives this claim.
    public func name(in dialect: ClaimConfiguration.Dialect) -> String {
        dialect == .custom ? (sp ?? local) : local
    }
}

/// CL-7: one local role and the name the SP knows it by.
public struct RoleMapping: Codable, Hashable, Sendable {
    public var local: String
    public var sp: String

    public init(local: String, sp: String) {
        self.local = local
        self.sp = sp
    }
}
