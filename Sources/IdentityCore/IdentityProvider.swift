/// A federated identity provider the server sends people to (FE-1): its kind, how to
/// reach it, how its claims map to local claims (FE-2) and how people it vouches for are
/// provisioned just in time (JIT-1 … JIT-8).
///
/// One value for the YAML file (`identity-providers/*.yaml`) and the admin API alike, as
/// for service providers.
public struct IdentityProvider: Codable, Hashable, Sendable {
    /// Unique name; also the name a sequence step uses for it. Same rule as SP names.
    public var name: String
    public var description: String?
    public var kind: Kind
    /// A disabled IdP is not offered and its answers are refused.
    public var enabled: Bool
    /// How the server talks to it, owned by the Connectors module (`idp.oauth` for kinds
    /// `oidc`, `google`, `microsoft`, `facebook`, `github`; `idp.saml` for kind `saml`).
    public var sections: Sections
    public var claims: IdPClaimConfiguration
    public var jit: JITSettings

    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case oidc, saml, facebook, google, github, microsoft
        /// No one logs in with it: a target of outbound provisioning only (PR-2), as WSO2
        /// adds an identity provider to hold just a provisioning connector.
        case scim

        /// Kinds that log in with an OAuth 2.0 authorization code.
        public var usesOAuth: Bool { ![.saml, .scim].contains(self) }
        /// Kinds whose answer carries an OpenID Connect ID token.
        public var usesIDToken: Bool { [.oidc, .google, .microsoft].contains(self) }
        /// The claim that identifies a person at this kind of IdP when the configuration
        /// names none: OIDC `sub`, the SAML NameID, Facebook and GitHub `id`.
        public var defaultUserIDClaim: String {
            switch self {
            case .oidc, .google, .microsoft: "sub"
            case .saml: Self.nameIDClaim
            case .facebook, .github, .scim: "id"
            }
        }

        /// The pseudo-claim name for the NameID in a SAML IdP's claim mapping and user ID claim.
        public static let nameIDClaim = "NameID"
    }

    public init(
        name: String, description: String? = nil, kind: Kind, enabled: Bool = true, sections: [any IdentityProviderSection] = [],
        claims: IdPClaimConfiguration = IdPClaimConfiguration(), jit: JITSettings = JITSettings()
    ) {
        self.name = name
        self.description = description
        self.kind = kind
        self.enabled = enabled
        self.sections = Sections(sections)
        self.claims = claims
        self.jit = jit
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, description, kind, enabled, claims, jit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        kind = try c.decode(Kind.self, forKey: .kind)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        claims = try c.decodeIfPresent(IdPClaimConfiguration.self, forKey: .claims) ?? IdPClaimConfiguration()
        jit = try c.decodeIfPresent(JITSettings.self, forKey: .jit) ?? JITSettings()
        sections = try Sections.decode(
            from: decoder, keyedBy: IdentityProviderSectionKey.self, coreKeys: Set(CodingKeys.allCases.map(\.rawValue)),
            types: SectionRegistry.from(decoder)?.identityProviderSections ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(kind, forKey: .kind)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(claims, forKey: .claims)
        try c.encode(jit, forKey: .jit)
        try sections.encode(to: encoder, keyedBy: IdentityProviderSectionKey.self)
    }

    /// The section of type `S`, if configured.
    public subscript<S: IdentityProviderSection>(section type: S.Type) -> S? {
        get { sections[type] }
        set { sections[type] = newValue }
    }

    /// The IdP's claim that identifies the person there (FE-2).
    public var userIDClaim: String { claims.userIDClaim ?? kind.defaultUserIDClaim }

    /// The record as the admin API shows it: the client secret is never returned.
    public var redacted: IdentityProvider {
        var copy = self
        copy.sections = sections.mapping { section in
            guard let section = section as? any IdentityProviderSection else { return section }
            return section.redacted
        }
        return copy
    }
}

/// FE-2: which IdP claims become which local claims, and which one names the person.
public struct IdPClaimConfiguration: Codable, Hashable, Sendable {
    /// The IdP's claim that identifies the person there; the kind's default when nil.
    public var userIDClaim: String?
    /// IdP claim name → local claim. IdP claims not listed are dropped.
    public var mappings: [IdPClaimMapping]
    /// The IdP claim holding role names, mapped to the local role claim (roles).
    public var roleClaim: String?

    public init(userIDClaim: String? = nil, mappings: [IdPClaimMapping] = [], roleClaim: String? = nil) {
        self.userIDClaim = userIDClaim
        self.mappings = mappings
        self.roleClaim = roleClaim
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case userIDClaim, mappings, roleClaim }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        userIDClaim = try c.decodeIfPresent(String.self, forKey: .userIDClaim)
        mappings = try c.decodeIfPresent([IdPClaimMapping].self, forKey: .mappings) ?? []
        roleClaim = try c.decodeIfPresent(String.self, forKey: .roleClaim)
    }
}

/// One IdP claim and the local claim it becomes.
public struct IdPClaimMapping: Codable, Hashable, Sendable {
    /// The IdP's name for the claim (`email`, `urn:oid:0.9.2342.19200300.100.1.3`).
    public var idp: String
    /// A local claim URI (short names accepted).
    public var local: String

    public init(idp: String, local: String) {
        self.idp = idp
        self.local = local
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case idp, local }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        idp = try c.decode(String.self, forKey: .idp)
        local = LocalClaims.uri(try c.decode(String.self, forKey: .local))
    }
}

/// JIT-1, JIT-2: whether and how people an IdP vouches for get a local account.
public struct JITSettings: Codable, Hashable, Sendable {
    public var mode: Mode
    /// JIT-2: the user store new accounts go to.
    public var userStore: String

    public enum Mode: String, Codable, Hashable, Sendable, CaseIterable {
        /// Ask for a username, a password and consent to store the attributes.
        case promptUsernamePasswordConsent = "prompt-username-password-consent"
        /// Ask for a password and consent; the username is the IdP's user ID.
        case promptPasswordConsent = "prompt-password-consent"
        /// Ask for consent only.
        case promptConsent = "prompt-consent"
        /// Provision without asking.
        case silent
        /// No local account: the person is known only for this login.
        case none

        public var asksConsent: Bool { [.promptUsernamePasswordConsent, .promptPasswordConsent, .promptConsent].contains(self) }
        public var asksPassword: Bool { [.promptUsernamePasswordConsent, .promptPasswordConsent].contains(self) }
        public var asksUsername: Bool { self == .promptUsernamePasswordConsent }
    }

    public init(mode: Mode = .none, userStore: String = UserStoreName.primary) {
        self.mode = mode
        self.userStore = userStore
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case mode, userStore }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .none
        userStore = (try c.decodeIfPresent(String.self, forKey: .userStore) ?? UserStoreName.primary).uppercased()
    }
}
