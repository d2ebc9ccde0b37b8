public import IdentityCore

/// OAuth 2.0 / OpenID Connect settings of one service provider (OA-1 … OA-6): its `oidc:`
/// section.
public struct OIDCSettings: ServiceProviderSection {
    public static let key = "oidc"
    public var clientID: String
    /// A plain secret as a YAML file or an API body gives it. Never stored: the server
    /// replaces it by `clientSecretHash` before the record reaches a store.
    public var clientSecret: String?
    /// `sha256:<hex>` of the client secret; nil for a public client or a private_key_jwt
    /// client. Client secrets are random and long when the server issues them, so a fast
    /// hash suffices (unlike passwords); being deterministic, it also keeps the record
    /// identical whether it came from YAML or the API (SP-4).
    public var clientSecretHash: String?
    /// OA-1: exact URLs, or `regexp=<pattern>` which the whole redirect_uri must match.
    public var callbackURLs: [String]
    /// OA-2: grant types this client may use.
    public var grantTypes: [GrantType]
    /// OA-3: a code request without a PKCE challenge is refused.
    public var pkceMandatory: Bool
    /// OA-3: the `plain` PKCE method is accepted (S256 always is).
    public var pkceAllowPlain: Bool
    public var tokenEndpointAuthMethod: ClientAuthenticationMethod
    public var idTokenSigningAlgorithm: IDTokenSigningAlgorithm
    /// OA-4: lifetimes in seconds.
    public var userAccessTokenLifetime: Int
    public var applicationAccessTokenLifetime: Int
    public var refreshTokenLifetime: Int
    public var idTokenLifetime: Int
    /// OA-5: extra audiences added to the ID token's `aud` beside the client ID.
    public var audiences: [String]
    /// OA-6: revoked by "revoke app"; no token is issued until the secret is regenerated.
    public var revoked: Bool
    /// Seconds after a refresh token's rotation in which presenting it again returns the
    /// same new token pair instead of counting as reuse (RFC 9700 §4.14.2 detection, which
    /// revokes the family, still applies after): a client that refreshes from several
    /// threads at once keeps its session. 0 turns the window off.
    public var refreshTokenReuseGraceSeconds: Int
    /// RFC 9207: `iss` on authorization responses, errors included. Some RP releases take
    /// an error callback that carries `iss` and no `code` for something else and show the
    /// person a wrong message; for such a client `false` leaves `iss` off error responses
    /// only (success responses always carry it).
    public var issuerInErrorResponses: Bool
    /// OpenID Connect Back-Channel Logout 1.0: where the server POSTs a logout token when
    /// a session this client took part in ends (SA-10's OIDC half).
    public var backchannelLogoutURI: String?
    /// OpenID Connect Front-Channel Logout 1.0: the page the browser loads (in an iframe,
    /// with `iss` and `sid`) when such a session ends.
    public var frontchannelLogoutURI: String?
    /// SP-2 (OIDC Dynamic Client Registration's `require_signed_request_object`): every
    /// authorization request must come as a request object signed with the application
    /// certificate's key (directly, or pushed).
    public var requireSignedRequestObject: Bool
    /// RFC 9126 §6 (`require_pushed_authorization_requests`): authorization requests only
    /// by `request_uri` from the pushed authorization request endpoint.
    public var requirePushedAuthorizationRequests: Bool
    /// RFC 8693: the client IDs this client may exchange its access tokens for tokens to
    /// (besides itself). Empty: none — another application is never handed a token it did
    /// not agree to take.
    public var tokenExchangeAudiences: [String]
    /// Scopes of the server's own management APIs this client may be granted besides the
    /// claim scopes (``ManagementScope``): `scim:read`/`scim:write` with client_credentials
    /// (the SCIM API as an operator), `scim:me` in a person's token (their own `/scim2/Me`).
    /// No client has them unless listed here: any client may ask for any claim scope.
    public var managementScopes: [String]
    /// The client's public keys as a JWK Set document (RFC 7591 `jwks`): request objects
    /// are verified with them when the application has no certificate (SP-2). Inline, not
    /// a `jwks_uri`: the server fetches nothing a client names.
    public var jwks: String?

    public static let defaultGrantTypes: [GrantType] = [.authorizationCode, .refreshToken]

    /// What a token request may be granted: the claim scopes the server knows, and the
    /// management scopes this client is allowed (only those a token without a person can
    /// use when `person` is false).
    public func grantable(_ requested: [String], known: Set<String>, person: Bool) -> [String] {
        var scopes = [String]()
        for scope in requested where !scopes.contains(scope) {
            // A management name is only ever a management scope, whatever the scope table says.
            if let management = ManagementScope(rawValue: scope) {
                if managementScopes.contains(scope), management.needsPerson == person { scopes.append(scope) }
            } else if known.contains(scope) {
                scopes.append(scope)
            }
        }
        return scopes
    }

    public init(
        clientID: String, clientSecretHash: String? = nil, callbackURLs: [String], grantTypes: [GrantType] = OIDCSettings.defaultGrantTypes,
        pkceMandatory: Bool = false, pkceAllowPlain: Bool = false, tokenEndpointAuthMethod: ClientAuthenticationMethod = .clientSecretBasic,
        idTokenSigningAlgorithm: IDTokenSigningAlgorithm = .rs256, userAccessTokenLifetime: Int = 3600, applicationAccessTokenLifetime: Int = 3600,
        refreshTokenLifetime: Int = 86_400, idTokenLifetime: Int = 3600, audiences: [String] = [], revoked: Bool = false,
        refreshTokenReuseGraceSeconds: Int = OIDCSettings.defaultRefreshTokenReuseGraceSeconds, issuerInErrorResponses: Bool = true,
        backchannelLogoutURI: String? = nil, frontchannelLogoutURI: String? = nil, requireSignedRequestObject: Bool = false,
        requirePushedAuthorizationRequests: Bool = false, tokenExchangeAudiences: [String] = [], jwks: String? = nil,
        managementScopes: [String] = []
    ) {
        self.jwks = jwks
        self.managementScopes = managementScopes
        self.tokenExchangeAudiences = tokenExchangeAudiences
        self.requireSignedRequestObject = requireSignedRequestObject
        self.requirePushedAuthorizationRequests = requirePushedAuthorizationRequests
        self.clientID = clientID
        self.clientSecret = nil
        self.clientSecretHash = clientSecretHash
        self.callbackURLs = callbackURLs
        self.grantTypes = grantTypes
        self.pkceMandatory = pkceMandatory
        self.pkceAllowPlain = pkceAllowPlain
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.idTokenSigningAlgorithm = idTokenSigningAlgorithm
        self.userAccessTokenLifetime = userAccessTokenLifetime
        self.applicationAccessTokenLifetime = applicationAccessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.idTokenLifetime = idTokenLifetime
        self.audiences = audiences
        self.revoked = revoked
        self.refreshTokenReuseGraceSeconds = refreshTokenReuseGraceSeconds
        self.issuerInErrorResponses = issuerInErrorResponses
        self.backchannelLogoutURI = backchannelLogoutURI
        self.frontchannelLogoutURI = frontchannelLogoutURI
    }

    public static let defaultRefreshTokenReuseGraceSeconds = 5

    enum CodingKeys: String, CodingKey, CaseIterable {
        case clientID, clientSecret, clientSecretHash, callbackURLs, grantTypes, pkceMandatory, pkceAllowPlain,
             tokenEndpointAuthMethod, idTokenSigningAlgorithm, userAccessTokenLifetime, applicationAccessTokenLifetime,
             refreshTokenLifetime, idTokenLifetime, audiences, revoked, refreshTokenReuseGraceSeconds, issuerInErrorResponses,
             backchannelLogoutURI, frontchannelLogoutURI, requireSignedRequestObject, requirePushedAuthorizationRequests, tokenExchangeAudiences, jwks,
             managementScopes
    }

    /// Accepts `clientSecret` (plain) or `clientSecretHash`, not both.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try c.decode(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        clientSecretHash = try c.decodeIfPresent(String.self, forKey: .clientSecretHash)
        if clientSecret != nil && clientSecretHash != nil {
            throw DecodingError.dataCorruptedError(
                forKey: .clientSecret, in: c, debugDescription: "give clientSecret or clientSecretHash, not both")
        }
        callbackURLs = try c.decodeIfPresent([String].self, forKey: .callbackURLs) ?? []
        grantTypes = try c.decodeIfPresent([GrantType].self, forKey: .grantTypes) ?? Self.defaultGrantTypes
        pkceMandatory = try c.decodeIfPresent(Bool.self, forKey: .pkceMandatory) ?? false
        pkceAllowPlain = try c.decodeIfPresent(Bool.self, forKey: .pkceAllowPlain) ?? false
        tokenEndpointAuthMethod = try c.decodeIfPresent(ClientAuthenticationMethod.self, forKey: .tokenEndpointAuthMethod)
            ?? (clientSecretHash == nil && clientSecret == nil ? .none : .clientSecretBasic)
        idTokenSigningAlgorithm = try c.decodeIfPresent(IDTokenSigningAlgorithm.self, forKey: .idTokenSigningAlgorithm) ?? .rs256
        userAccessTokenLifetime = try c.decodeIfPresent(Int.self, forKey: .userAccessTokenLifetime) ?? 3600
        applicationAccessTokenLifetime = try c.decodeIfPresent(Int.self, forKey: .applicationAccessTokenLifetime) ?? 3600
        refreshTokenLifetime = try c.decodeIfPresent(Int.self, forKey: .refreshTokenLifetime) ?? 86_400
        idTokenLifetime = try c.decodeIfPresent(Int.self, forKey: .idTokenLifetime) ?? 3600
        audiences = try c.decodeIfPresent([String].self, forKey: .audiences) ?? []
        revoked = try c.decodeIfPresent(Bool.self, forKey: .revoked) ?? false
        refreshTokenReuseGraceSeconds = try c.decodeIfPresent(Int.self, forKey: .refreshTokenReuseGraceSeconds)
            ?? Self.defaultRefreshTokenReuseGraceSeconds
        issuerInErrorResponses = try c.decodeIfPresent(Bool.self, forKey: .issuerInErrorResponses) ?? true
        backchannelLogoutURI = try c.decodeIfPresent(String.self, forKey: .backchannelLogoutURI)
        frontchannelLogoutURI = try c.decodeIfPresent(String.self, forKey: .frontchannelLogoutURI)
        requireSignedRequestObject = try c.decodeIfPresent(Bool.self, forKey: .requireSignedRequestObject) ?? false
        requirePushedAuthorizationRequests = try c.decodeIfPresent(Bool.self, forKey: .requirePushedAuthorizationRequests) ?? false
        tokenExchangeAudiences = try c.decodeIfPresent([String].self, forKey: .tokenExchangeAudiences) ?? []
        managementScopes = try c.decodeIfPresent([String].self, forKey: .managementScopes) ?? []
        jwks = try c.decodeIfPresent(String.self, forKey: .jwks)
    }

    /// A token or authorization request names its client by `client_id`.
    public var lookupKeys: [ServiceProviderLookup] { [.oidcClientID(clientID)] }

    /// Whether the client may use the grant an endpoint calls `name` (OA-2).
    public func allows(grant name: String) -> Bool { grantTypes.contains { $0.rawValue == name } }

    /// Encodes the stored form: the hash, never a plain secret.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clientID, forKey: .clientID)
        try c.encodeIfPresent(clientSecretHash, forKey: .clientSecretHash)
        try c.encode(callbackURLs, forKey: .callbackURLs)
        try c.encode(grantTypes, forKey: .grantTypes)
        try c.encode(pkceMandatory, forKey: .pkceMandatory)
        try c.encode(pkceAllowPlain, forKey: .pkceAllowPlain)
        try c.encode(tokenEndpointAuthMethod, forKey: .tokenEndpointAuthMethod)
        try c.encode(idTokenSigningAlgorithm, forKey: .idTokenSigningAlgorithm)
        try c.encode(userAccessTokenLifetime, forKey: .userAccessTokenLifetime)
        try c.encode(applicationAccessTokenLifetime, forKey: .applicationAccessTokenLifetime)
        try c.encode(refreshTokenLifetime, forKey: .refreshTokenLifetime)
        try c.encode(idTokenLifetime, forKey: .idTokenLifetime)
        try c.encode(audiences, forKey: .audiences)
        try c.encode(revoked, forKey: .revoked)
        try c.encode(refreshTokenReuseGraceSeconds, forKey: .refreshTokenReuseGraceSeconds)
        try c.encode(issuerInErrorResponses, forKey: .issuerInErrorResponses)
        try c.encodeIfPresent(backchannelLogoutURI, forKey: .backchannelLogoutURI)
        try c.encodeIfPresent(frontchannelLogoutURI, forKey: .frontchannelLogoutURI)
        // Written only when on, so an application's stored form (and what the admin API
        // shows) is unchanged for the clients that predate these settings.
        if requireSignedRequestObject { try c.encode(true, forKey: .requireSignedRequestObject) }
        if requirePushedAuthorizationRequests { try c.encode(true, forKey: .requirePushedAuthorizationRequests) }
        if !tokenExchangeAudiences.isEmpty { try c.encode(tokenExchangeAudiences, forKey: .tokenExchangeAudiences) }
        if !managementScopes.isEmpty { try c.encode(managementScopes, forKey: .managementScopes) }
        try c.encodeIfPresent(jwks, forKey: .jwks)
    }
}

/// OA-2: the grant types a client may be registered for.
public enum GrantType: String, ConfigurationEnum {
    case authorizationCode = "authorization_code"
    case implicit
    case password
    case clientCredentials = "client_credentials"
    case refreshToken = "refresh_token"
    case deviceCode = "device_code"
    case jwtBearer = "jwt-bearer"
    case saml2Bearer = "saml2-bearer"
    /// RFC 8693 token exchange.
    case tokenExchange = "token-exchange"
}

/// How a client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2).
public enum ClientAuthenticationMethod: String, ConfigurationEnum {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    /// Verified with the application certificate (SP-2).
    case privateKeyJWT = "private_key_jwt"
    /// A public client.
    case none

    /// The methods that present a client secret.
    public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}

/// The algorithms ID tokens may be signed with.
public enum IDTokenSigningAlgorithm: String, ConfigurationEnum {
    case rs256 = "RS256"
    case ps256 = "PS256"
    case es256 = "ES256"

    /// The kind of server key it needs: `rsa` or `ec`.
    public var keyFamily: String { self == .es256 ? "ec" : "rsa" }
}

extension ServiceProviderLookup {
    /// The service provider whose OAuth client ID is `clientID`.
    public static func oidcClientID(_ clientID: String) -> ServiceProviderLookup {
        ServiceProviderLookup(field: "oidc.clientID", value: clientID)
    }
}

extension ServiceProvider {
    /// OAuth 2.0 / OpenID Connect inbound settings; nil when it does not speak OIDC.
    public var oidc: OIDCSettings? {
        get { self[section: OIDCSettings.self] }
        set { self[section: OIDCSettings.self] = newValue }
    }
}
