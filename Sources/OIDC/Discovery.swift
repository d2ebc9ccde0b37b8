/// The OpenID Provider metadata (OIDC Discovery §3) this server publishes.
public struct DiscoveryDocument: Codable, Sendable, Equatable {
    public var issuer: String
    public var authorization_endpoint: String
    public var token_endpoint: String
    public var userinfo_endpoint: String
    public var jwks_uri: String
    public var introspection_endpoint: String
    public var revocation_endpoint: String
    public var device_authorization_endpoint: String
    public var end_session_endpoint: String
    public var scopes_supported: [String]
    public var response_types_supported: [String]
    public var response_modes_supported: [String]
    public var grant_types_supported: [String]
    public var subject_types_supported: [String]
    public var id_token_signing_alg_values_supported: [String]
    public var token_endpoint_auth_methods_supported: [String]
    public var token_endpoint_auth_signing_alg_values_supported: [String]
    public var code_challenge_methods_supported: [String]
    public var claims_supported: [String]
    public var authorization_response_iss_parameter_supported: Bool
    /// Back-Channel Logout 1.0 §2.1 and Front-Channel Logout 1.0 §3: both, with `sid`.
    public var backchannel_logout_supported: Bool
    public var backchannel_logout_session_supported: Bool
    public var frontchannel_logout_supported: Bool
    public var frontchannel_logout_session_supported: Bool
    /// SP-2: signed request objects (RFC 9101) by value; by reference only from the pushed
    /// authorization request endpoint (RFC 9126), never fetched from a client's URL.
    public var request_parameter_supported: Bool
    public var request_uri_parameter_supported: Bool
    public var request_object_signing_alg_values_supported: [String]
    public var pushed_authorization_request_endpoint: String
    public var require_pushed_authorization_requests: Bool

    public static let responseTypes = ["code", "id_token", "token", "id_token token", "code id_token", "code token", "code id_token token"]
    public static let grantTypes = [
        "authorization_code", "implicit", "refresh_token", "client_credentials", "password",
        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:token-exchange",
    ]
    public static let authMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]

    public init(issuer: String, scopes: [String], claims: [String], signingAlgorithms: [String]) {
        self.issuer = issuer
        authorization_endpoint = issuer + "/oauth2/authorize"
        token_endpoint = issuer + "/oauth2/token"
        userinfo_endpoint = issuer + "/oauth2/userinfo"
        jwks_uri = issuer + "/oauth2/jwks"
        introspection_endpoint = issuer + "/oauth2/introspect"
        revocation_endpoint = issuer + "/oauth2/revoke"
        device_authorization_endpoint = issuer + "/oauth2/device_authorize"
        end_session_endpoint = issuer + "/oidc/logout"
        scopes_supported = scopes
        response_types_supported = Self.responseTypes
        response_modes_supported = ["query", "fragment", "form_post"]
        grant_types_supported = Self.grantTypes
        subject_types_supported = ["public"]
        id_token_signing_alg_values_supported = signingAlgorithms
        token_endpoint_auth_methods_supported = Self.authMethods
        token_endpoint_auth_signing_alg_values_supported = ["RS256", "PS256", "ES256"]
        code_challenge_methods_supported = ["S256", "plain"]
        claims_supported = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash", "c_hash", "sid"] + claims
        authorization_response_iss_parameter_supported = true
        backchannel_logout_supported = true
        backchannel_logout_session_supported = true
        frontchannel_logout_supported = true
        frontchannel_logout_session_supported = true
        request_parameter_supported = true
        request_uri_parameter_supported = false
        request_object_signing_alg_values_supported = ["RS256", "PS256", "ES256"]
        pushed_authorization_request_endpoint = issuer + "/oauth2/par"
        require_pushed_authorization_requests = false
    }
}
