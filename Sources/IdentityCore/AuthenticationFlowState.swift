public import Foundation

/// The server-side state of one login in progress, between the protocol request that
/// started it and the response that ends it. Kept server-side so nothing a browser sends
/// back can change which SP, ACS URL or claims the flow is for.
public struct AuthenticationFlowState: Codable, Hashable, Sendable {
    /// Random key carried by the login form (`sessionDataKey` in WSO2 terms).
    public var id: String
    public var serviceProvider: String
    /// The inbound protocol that owns the flow (`saml`, `oidc`).
    public var inboundProtocol: String
    /// That protocol's own context (request ID, chosen ACS, RelayState…), opaque here.
    public var inboundContext: Data
    /// Anti-CSRF token every form of this flow must carry.
    public var csrfToken: String
    /// SHA-256 of the browser-binding cookie: only the browser that started the flow can
    /// continue it.
    public var browserBinding: String
    public var createdAt: Date
    public var expiresAt: Date
    public var forceAuthentication: Bool
    public var passive: Bool
    /// A session older than this (seconds) is not reused (OIDC max_age).
    public var maximumAuthenticationAge: TimeInterval?
    /// The authenticated user once a step has succeeded.
    public var userID: String?
    /// Password attempts made in this flow (counted before each is checked).
    public var attempts: Int
    /// Where the flow is: authenticating, asking for mandatory claims, asking for consent.
    /// A form for another stage than this one is refused.
    public var stage: Stage
    /// The SSO session and the time of authentication, once authenticated.
    public var sessionID: String?
    public var authenticatedAt: Date?
    /// The claims the current page asks about (missing mandatory claims, or the claims
    /// consent is asked for): a form may answer for these and no others.
    public var pending: [String]
    /// Ask for consent even when a receipt covers the claims (OIDC prompt=consent).
    public var forceConsent: Bool

    public enum Stage: String, Codable, Hashable, Sendable {
        case authenticate, claims, consent
    }

    public init(
        id: String, serviceProvider: String, inboundProtocol: String, inboundContext: Data, csrfToken: String,
        browserBinding: String, createdAt: Date, expiresAt: Date, forceAuthentication: Bool, passive: Bool,
        maximumAuthenticationAge: TimeInterval? = nil, userID: String? = nil, attempts: Int = 0, stage: Stage = .authenticate,
        sessionID: String? = nil, authenticatedAt: Date? = nil, pending: [String] = [], forceConsent: Bool = false
    ) {
        self.id = id
        self.serviceProvider = serviceProvider
        self.inboundProtocol = inboundProtocol
        self.inboundContext = inboundContext
        self.csrfToken = csrfToken
        self.browserBinding = browserBinding
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.forceAuthentication = forceAuthentication
        self.passive = passive
        self.maximumAuthenticationAge = maximumAuthenticationAge
        self.userID = userID
        self.attempts = attempts
        self.stage = stage
        self.sessionID = sessionID
        self.authenticatedAt = authenticatedAt
        self.pending = pending
        self.forceConsent = forceConsent
    }
}
