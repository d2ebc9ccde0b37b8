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

    public init(dialect: Dialect = .local, mappings: [ClaimMapping] = [], subjectClaim: String? = nil) {
        self.dialect = dialect
        self.mappings = mappings
        self.subjectClaim = subjectClaim
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case dialect, mappings, subjectClaim }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dialect = try c.decodeIfPresent(Dialect.self, forKey: .dialect) ?? .local
        mappings = try c.decodeIfPresent([ClaimMapping].self, forKey: .mappings) ?? []
        subjectClaim = try c.decodeIfPresent(String.self, forKey: .subjectClaim)
    }

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
        local = try c.decode(String.self, forKey: .local)
        sp = try c.decodeIfPresent(String.self, forKey: .sp)
        requested = try c.decodeIfPresent(Bool.self, forKey: .requested) ?? true
        mandatory = try c.decodeIfPresent(Bool.self, forKey: .mandatory) ?? false
    }

    /// The name under which the SP receives this claim.
    public func name(in dialect: ClaimConfiguration.Dialect) -> String {
        dialect == .custom ? (sp ?? local) : local
    }
}
