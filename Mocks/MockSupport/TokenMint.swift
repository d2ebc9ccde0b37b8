public import OIDC

/// A token to mint without a login (``MockIdentityProvider/mint(_:issuer:)``, or
/// `POST /_mock/<issuer>/token`): whom it names, for whom, what kind, how long, with
/// which extra claims and which faults.
public struct TokenMint: Sendable {
    public enum Kind: String, Sendable {
        /// A JWT bearer assertion (RFC 7523 §3), with a `jti`.
        case assertion
        /// An ID token.
        case idToken = "id_token"
        /// An RFC 9068 access token (`typ: at+jwt`, `client_id`, `scope`).
        case accessToken = "access_token"
    }

    /// A test user's username or id (their claims are included), or any subject.
    public var subject: String
    public var audience: String
    public var type: Kind
    /// Seconds from now; negative for a token already expired. Default: the profile's
    /// `validitySeconds`.
    public var lifetime: Int?
    /// Added over the test user's claims (the registered ones are the mint's own).
    public var claims: [String: ClaimValue]
    /// Applied to this token on top of those in force.
    public var faults: [IdPFault]
    /// Access tokens: the `scope` claim, and `client_id` (default: the audience).
    public var scope: String?
    public var clientID: String?

    public init(
        subject: String, audience: String, type: Kind = .assertion, lifetime: Int? = nil, claims: [String: ClaimValue] = [:],
        faults: [IdPFault] = [], scope: String? = nil, clientID: String? = nil
    ) {
        self.subject = subject
        self.audience = audience
        self.type = type
        self.lifetime = lifetime
        self.claims = claims
        self.faults = faults
        self.scope = scope
        self.clientID = clientID
    }
}
