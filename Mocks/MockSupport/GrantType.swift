/// The grant type URNs of the generic mock provider's token endpoint.
enum GrantType {
    /// RFC 8628 §3.4.
    static let deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
    /// RFC 7523 §2.1.
    static let jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    /// RFC 8693 §2.1.
    static let tokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"

    /// Every grant the generic kind serves, as discovery lists them.
    static let generic = ["authorization_code", "refresh_token", "client_credentials", "password", deviceCode, jwtBearer, tokenExchange]
}

/// RFC 8693 §3 token type identifiers.
enum TokenType {
    static let accessToken = "urn:ietf:params:oauth:token-type:access_token"
    static let refreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
    static let idToken = "urn:ietf:params:oauth:token-type:id_token"
    static let jwt = "urn:ietf:params:oauth:token-type:jwt"
}
