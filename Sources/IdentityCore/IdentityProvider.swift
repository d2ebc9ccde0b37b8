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
    /// Kinds `oidc`, `google`, `microsoft`, `facebook`, `github`.
    public var oauth: OAuthConnectorSettings?
    /// Kind `saml`.
    public var saml: SAMLConnectorSettings?
    public var claims: IdPClaimConfiguration
    public var jit: JITSettings

    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case oidc, saml, facebook, google, github, microsoft

        /// Kinds that log in with an OAuth 2.0 authorization code (all but SAML).
        public var usesOAuth: Bool { self != .saml }
        /// Kinds whose answer carries an OpenID Connect ID token.
        public var usesIDToken: Bool { [.oidc, .google, .microsoft].contains(self) }
        /// The claim that identifies a person at this kind of IdP when the configuration
        /// names none: OIDC `sub`, the SAML NameID, Facebook and GitHub `id`.
        public var defaultUserIDClaim: String {
            switch self {
            case .oidc, .google, .microsoft: "sub"
            case .saml: SAMLConnectorSettings.nameIDClaim
            case .facebook, .github: "id"
            }
        }
    }

    public init(
        name: String, description: String? = nil, kind: Kind, enabled: Bool = true, oauth: OAuthConnectorSettings? = nil,
        saml: SAMLConnectorSettings? = nil, claims: IdPClaimConfiguration = IdPClaimConfiguration(), jit: JITSettings = JITSettings()
    ) {
        self.name = name
        self.description = description
        self.kind = kind
        self.enabled = enabled
        self.oauth = oauth
        self.saml = saml
        self.claims = claims
        self.jit = jit
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, description, kind, enabled, oauth, saml, claims, jit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        kind = try c.decode(Kind.self, forKey: .kind)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        oauth = try c.decodeIfPresent(OAuthConnectorSettings.self, forKey: .oauth)
        saml = try c.decodeIfPresent(SAMLConnectorSettings.self, forKey: .saml)
        claims = try c.decodeIfPresent(IdPClaimConfiguration.self, forKey: .claims) ?? IdPClaimConfiguration()
        jit = try c.decodeIfPresent(JITSettings.self, forKey: .jit) ?? JITSettings()
    }

    /// The IdP's claim that identifies the person there (FE-2).
    public var userIDClaim: String { claims.userIDClaim ?? kind.defaultUserIDClaim }

    /// The record as the admin API shows it: the client secret is never returned.
    public var redacted: IdentityProvider {
        var copy = self
        if copy.oauth?.clientSecret != nil { copy.oauth?.clientSecret = OAuthConnectorSettings.redactedSecret }
        return copy
    }
}

/// How the server, as an OAuth 2.0 client / OpenID relying party, talks to an IdP.
public struct OAuthConnectorSettings: Codable, Hashable, Sendable {
    /// OIDC kinds: the `iss` every ID token must carry.
    public var issuer: String?
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    /// OIDC userinfo, Facebook Graph `/me`, GitHub `/user`.
    public var userInfoEndpoint: String?
    /// OIDC kinds: the IdP's signing keys.
    public var jwksURI: String?
    /// GitHub: `/user/emails`, read when `/user` has no public email.
    public var emailsEndpoint: String?
    public var clientID: String
    /// Kept as given (the server must present it); never shown by the admin API.
    public var clientSecret: String?
    public var scopes: [String]
    /// `client_secret_basic` or `client_secret_post`.
    public var tokenEndpointAuthMethod: String
    /// Facebook: the Graph fields asked for (`/me?fields=…`).
    public var userInfoFields: [String]

    public static let redactedSecret = "********"

    public init(
        issuer: String? = nil, authorizationEndpoint: String, tokenEndpoint: String, userInfoEndpoint: String? = nil, jwksURI: String? = nil,
        emailsEndpoint: String? = nil, clientID: String, clientSecret: String? = nil, scopes: [String] = [],
        tokenEndpointAuthMethod: String = "client_secret_basic", userInfoFields: [String] = []
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.userInfoEndpoint = userInfoEndpoint
        self.jwksURI = jwksURI
        self.emailsEndpoint = emailsEndpoint
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.userInfoFields = userInfoFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, jwksURI, emailsEndpoint, clientID, clientSecret, scopes,
            tokenEndpointAuthMethod, userInfoFields
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        authorizationEndpoint = try c.decode(String.self, forKey: .authorizationEndpoint)
        tokenEndpoint = try c.decode(String.self, forKey: .tokenEndpoint)
        userInfoEndpoint = try c.decodeIfPresent(String.self, forKey: .userInfoEndpoint)
        jwksURI = try c.decodeIfPresent(String.self, forKey: .jwksURI)
        emailsEndpoint = try c.decodeIfPresent(String.self, forKey: .emailsEndpoint)
        clientID = try c.decode(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        scopes = try c.decodeIfPresent([String].self, forKey: .scopes) ?? []
        tokenEndpointAuthMethod = try c.decodeIfPresent(String.self, forKey: .tokenEndpointAuthMethod) ?? "client_secret_basic"
        userInfoFields = try c.decodeIfPresent([String].self, forKey: .userInfoFields) ?? []
    }
}

/// How the server, as a SAML service provider, talks to a SAML IdP.
public struct SAMLConnectorSettings: Codable, Hashable, Sendable {
    /// The IdP's entity ID: the Issuer its Responses must carry.
    public var idpEntityID: String
    /// Where AuthnRequests go.
    public var ssoURL: String
    /// `redirect` or `post`: how the AuthnRequest is sent.
    public var binding: String
    /// PEM certificates the IdP signs with; nothing else is trusted.
    public var certificates: [String]
    /// Sign AuthnRequests with the server's key.
    public var signRequests: Bool
    /// The entity ID the server presents to this IdP; the server's own when absent.
    public var spEntityID: String?
    public var nameIDFormat: String?

    /// The pseudo-claim name for the NameID in a SAML IdP's claim mapping and user ID claim.
    public static let nameIDClaim = "NameID"

    public init(
        idpEntityID: String, ssoURL: String, binding: String = "redirect", certificates: [String], signRequests: Bool = false,
        spEntityID: String? = nil, nameIDFormat: String? = nil
    ) {
        self.idpEntityID = idpEntityID
        self.ssoURL = ssoURL
        self.binding = binding
        self.certificates = certificates
        self.signRequests = signRequests
        self.spEntityID = spEntityID
        self.nameIDFormat = nameIDFormat
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case idpEntityID, ssoURL, binding, certificates, signRequests, spEntityID, nameIDFormat
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        idpEntityID = try c.decode(String.self, forKey: .idpEntityID)
        ssoURL = try c.decode(String.self, forKey: .ssoURL)
        binding = try c.decodeIfPresent(String.self, forKey: .binding) ?? "redirect"
        certificates = try c.decode([String].self, forKey: .certificates)
        signRequests = try c.decodeIfPresent(Bool.self, forKey: .signRequests) ?? false
        spEntityID = try c.decodeIfPresent(String.self, forKey: .spEntityID)
        nameIDFormat = try c.decodeIfPresent(String.self, forKey: .nameIDFormat)
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
