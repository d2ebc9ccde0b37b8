public import OIDC

/// What a mock relying party saw: one entry per action (a callback, a refresh, an
/// introspection…). Recorded in vectors, so each field is something a person would check.
public struct RPObservation: Codable, Sendable, Equatable {
    /// `callback`, `refresh`, `userinfo`, `introspect`, `revoke`, `client-credentials`,
    /// `password`, `device-start`, `device-poll`, `reuse-code`, `discovery`, `logged-out`,
    /// `backchannel-logout`, `frontchannel-logout`, `jwt-bearer`, `saml2-bearer`, `token-exchange`.
    public var action: String
    /// The HTTP status of the back-channel call, if one was made.
    public var status: Int?
    /// An OAuth `error` from the server, or the RP's own refusal code (`jwt.nonce_mismatch`).
    public var error: String?
    public var errorDescription: String?
    /// Callback: whether `state` was the one this RP sent, and the `iss` parameter (RFC 9207).
    public var stateMatched: Bool?
    public var issuerParameter: String?
    /// Callback: `POST` when the answer came as a form post (response_mode=form_post).
    public var callbackMethod: String?
    /// Token responses.
    public var tokenType: String?
    public var expiresIn: Int?
    public var scope: String?
    public var refreshTokenIssued: Bool?
    /// Token exchange (RFC 8693): `access_token` or `id_token`, the `issued_token_type` without its URN prefix.
    public var issuedTokenType: String?
    /// The answer's refresh token is the one this RP already held: a repeated presentation
    /// got the same new token pair (the server's reuse grace window).
    public var refreshTokenRepeated: Bool?
    public var idTokenIssued: Bool?
    /// The ID token as this RP validated it.
    public var idToken: IDTokenObservation?
    /// Userinfo, introspection or discovery answers (JSON members).
    public var response: [String: ClaimValue]?
    /// A logout the provider sent (back or front channel), as this RP judged it.
    public var logout: LogoutObservation?
    /// The same token request sent several times at once (`race=N`).
    public var race: RaceObservation?

    public init(action: String) {
        self.action = action
    }

    /// An endpoint's refusal: its OAuth `error` and description, or `rp.status_<code>` when
    /// it answered none.
    mutating func refused(status: Int, body: [String: ClaimValue]?) {
        self.status = status
        error = body?["error"]?.string ?? "rp.status_\(status)"
        errorDescription = body?["error_description"]?.string
    }
}

/// A back-channel logout token or a front-channel logout request after validation:
/// whether it passed (or why not), and whether it named the session and person this RP
/// signed in (`sid` from its ID token, `sub`). The values themselves are the provider's
/// and differ run to run; whether they match is what an RP acts on.
public struct LogoutObservation: Codable, Sendable, Equatable {
    public var valid: Bool
    public var error: String?
    /// The token's header `typ` (back channel).
    public var typ: String?
    public var issMatched: Bool?
    public var sidMatched: Bool?
    public var subMatched: Bool?
}

/// An ID token after validation: whether it passed (or why not) and its claims.
public struct IDTokenObservation: Codable, Sendable, Equatable {
    public var valid: Bool
    public var error: String?
    public var alg: String?
    public var iss: String?
    public var sub: String?
    public var aud: [String]?
    public var azp: String?
    public var nonceMatched: Bool?
    public var atHash: String?
    public var iat: Int?
    public var exp: Int?
    public var authTime: Int?
    public var claims: [String: ClaimValue]?
}
