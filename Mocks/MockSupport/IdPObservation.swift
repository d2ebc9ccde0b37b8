/// What a mock identity provider saw: one entry per request a relying party (the server
/// under test) made. Recorded in vectors, so each field is something a person checks
/// about how the server behaves as a client of an IdP.
public struct IdPObservation: Codable, Sendable, Equatable {
    /// `authorize`, `token`, `userinfo`, `emails`, `jwks`, `discovery`, `sso`, `login`.
    public var action: String
    /// The HTTP status the mock answered with, or the login outcome (`user:<name>`, `denied`).
    public var status: Int?
    public var outcome: String?
    /// An error the mock refused the request with (`invalid_client`, `unknown_sp`…).
    public var error: String?
    // OAuth authorize
    public var clientID: String?
    public var redirectURI: String?
    public var scope: String?
    public var responseType: String?
    public var statePresent: Bool?
    public var noncePresent: Bool?
    public var codeChallengeMethod: String?
    // OAuth token
    public var grantType: String?
    public var clientAuthentication: String?
    public var codeVerifierPresent: Bool?
    /// Facebook: the Graph fields asked for.
    public var fields: String?
    // SAML
    public var binding: String?
    public var issuer: String?
    public var destination: String?
    public var acs: String?
    public var requestSigned: Bool?
    public var relayStatePresent: Bool?
    public var nameIDPolicy: String?
    public var forceAuthn: Bool?
    public var isPassive: Bool?
    /// Single logout: `LogoutRequest` or `LogoutResponse`, the NameID it named, whether it
    /// named the SessionIndex this IdP issued, and its signature (`valid`, `absent`,
    /// `invalid`, or `unchecked` when the profile has no certificate for the SP).
    public var message: String?
    public var nameID: String?
    public var sessionIndexMatched: Bool?
    /// RP-initiated logout: the `id_token_hint` is the last ID token this IdP issued.
    public var idTokenHintMatched: Bool?
    public var messageSignature: String?
    /// The faults in force when the request came.
    public var faults: [String]?

    public init(action: String) {
        self.action = action
    }
}
