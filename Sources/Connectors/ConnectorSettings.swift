public import IdentityCore
public import SAML

/// How the server, as an OAuth 2.0 client / OpenID relying party, talks to an IdP: the
/// `oauth:` section of kinds `oidc`, `google`, `microsoft`, `facebook`, `github`.
public struct OAuthConnectorSettings: IdentityProviderSection {
    public static let key = "oauth"
    /// OIDC kinds: the `iss` every ID token must carry.
    public var issuer: String?
    public var authorizationEndpoint: String
    public var tokenEndpoint: String
    /// OIDC userinfo, Facebook Graph `/me`, GitHub `/user`.
    public var userInfoEndpoint: String?
    /// OIDC kinds: the IdP's signing keys.
    public var jwksURI: String?
    /// OIDC kinds: the IdP's signing keys registered here as a JWK Set document, instead of
    /// fetched from `jwksURI` — an issuer known by its keys alone (one that only issues
    /// JWT bearer assertions, RFC 7523), or keys pinned on purpose.
    public var jwks: String?
    /// GitHub: `/user/emails`, read when `/user` has no public email.
    public var emailsEndpoint: String?
    public var clientID: String
    /// Kept as given (the server must present it); never shown by the admin API.
    public var clientSecret: String?
    public var scopes: [String]
    public var tokenEndpointAuthMethod: ClientAuthentication
    /// Facebook: the Graph fields asked for (`/me?fields=…`).
    public var userInfoFields: [String]
    /// OIDC kinds: the IdP's `end_session_endpoint`. When set, logging out at this server
    /// logs the person out there too (RP-Initiated Logout 1.0, federated logout).
    public var endSessionEndpoint: String?

    public static let redactedSecret = "********"

    public init(
        issuer: String? = nil, authorizationEndpoint: String, tokenEndpoint: String, userInfoEndpoint: String? = nil, jwksURI: String? = nil,
        emailsEndpoint: String? = nil, clientID: String, clientSecret: String? = nil, scopes: [String] = [],
        tokenEndpointAuthMethod: ClientAuthentication = .clientSecretBasic, userInfoFields: [String] = [], endSessionEndpoint: String? = nil
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
        self.endSessionEndpoint = endSessionEndpoint
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, jwksURI, jwks, emailsEndpoint, clientID, clientSecret, scopes,
            tokenEndpointAuthMethod, userInfoFields, endSessionEndpoint
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        authorizationEndpoint = try c.decode(String.self, forKey: .authorizationEndpoint)
        tokenEndpoint = try c.decode(String.self, forKey: .tokenEndpoint)
        userInfoEndpoint = try c.decodeIfPresent(String.self, forKey: .userInfoEndpoint)
        jwksURI = try c.decodeIfPresent(String.self, forKey: .jwksURI)
        jwks = try c.decodeIfPresent(String.self, forKey: .jwks)
        emailsEndpoint = try c.decodeIfPresent(String.self, forKey: .emailsEndpoint)
        clientID = try c.decode(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        scopes = try c.decodeIfPresent([String].self, forKey: .scopes) ?? []
        tokenEndpointAuthMethod = try c.decodeIfPresent(ClientAuthentication.self, forKey: .tokenEndpointAuthMethod) ?? .clientSecretBasic
        userInfoFields = try c.decodeIfPresent([String].self, forKey: .userInfoFields) ?? []
        endSessionEndpoint = try c.decodeIfPresent(String.self, forKey: .endSessionEndpoint)
    }

    /// The client secret is never shown.
    public var redacted: OAuthConnectorSettings {
        var copy = self
        if copy.clientSecret != nil { copy.clientSecret = Self.redactedSecret }
        return copy
    }

    /// How this server authenticates at the IdP's token endpoint.
    public enum ClientAuthentication: String, ConfigurationEnum {
        case clientSecretBasic = "client_secret_basic"
        case clientSecretPost = "client_secret_post"
    }
}

/// How the server, as a SAML service provider, talks to a SAML IdP: the `saml:` section
/// of kind `saml`.
public struct SAMLConnectorSettings: IdentityProviderSection {
    public static let key = "saml"
    /// The IdP's entity ID: the Issuer its Responses must carry.
    public var idpEntityID: String
    /// Where AuthnRequests go.
    public var ssoURL: String
    /// How the AuthnRequest is sent.
    public var binding: RequestBinding
    /// PEM certificates the IdP signs with; nothing else is trusted.
    public var certificates: [String]
    /// Sign AuthnRequests with the server's key.
    public var signRequests: Bool
    /// The entity ID the server presents to this IdP; the server's own when absent.
    public var spEntityID: String?
    /// The NameIDPolicy Format asked for; a document may name it by URI or last segment.
    public var nameIDFormat: NameIDFormat?
    /// The IdP's single logout service. When set, logging out at this server logs the
    /// person out at the IdP too, and the IdP's LogoutRequests (to `/commonauth`) end the
    /// sessions it names (federated logout). Messages go by `binding`, signed.
    public var sloURL: String?
    /// SA-8: decrypt an AES-CBC assertion even when the Response around it is not signed
    /// (the IdP signs only the assertion). Off unless set: CBC does not authenticate the
    /// ciphertext, so without a Response signature the server could be made a decryption
    /// oracle (see `SAMLResponseValidator.Expectations.acceptsUnauthenticatedCBC`). GCM
    /// is always accepted.
    public var acceptsUnauthenticatedCBC: Bool?

    public enum RequestBinding: String, ConfigurationEnum {
        case redirect, post
    }

    public init(
        idpEntityID: String, ssoURL: String, binding: RequestBinding = .redirect, certificates: [String], signRequests: Bool = false,
        spEntityID: String? = nil, nameIDFormat: NameIDFormat? = nil, sloURL: String? = nil
    ) {
        self.idpEntityID = idpEntityID
        self.ssoURL = ssoURL
        self.binding = binding
        self.certificates = certificates
        self.signRequests = signRequests
        self.spEntityID = spEntityID
        self.nameIDFormat = nameIDFormat
        self.sloURL = sloURL
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case idpEntityID, ssoURL, binding, certificates, signRequests, spEntityID, nameIDFormat, sloURL, acceptsUnauthenticatedCBC
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        idpEntityID = try c.decode(String.self, forKey: .idpEntityID)
        ssoURL = try c.decode(String.self, forKey: .ssoURL)
        binding = try c.decodeIfPresent(RequestBinding.self, forKey: .binding) ?? .redirect
        certificates = try c.decode([String].self, forKey: .certificates)
        signRequests = try c.decodeIfPresent(Bool.self, forKey: .signRequests) ?? false
        spEntityID = try c.decodeIfPresent(String.self, forKey: .spEntityID)
        nameIDFormat = try c.decodeIfPresent(NameIDFormat.self, forKey: .nameIDFormat)
        sloURL = try c.decodeIfPresent(String.self, forKey: .sloURL)
        acceptsUnauthenticatedCBC = try c.decodeIfPresent(Bool.self, forKey: .acceptsUnauthenticatedCBC)
    }
}

extension IdentityProvider {
    /// How the server talks to an OAuth-kind IdP; nil for other kinds.
    public var oauth: OAuthConnectorSettings? {
        get { self[section: OAuthConnectorSettings.self] }
        set { self[section: OAuthConnectorSettings.self] = newValue }
    }

    /// How the server talks to a SAML IdP; nil for other kinds.
    public var saml: SAMLConnectorSettings? {
        get { self[section: SAMLConnectorSettings.self] }
        set { self[section: SAMLConnectorSettings.self] = newValue }
    }
}
