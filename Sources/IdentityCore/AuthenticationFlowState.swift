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

    public init(
        id: String, serviceProvider: String, inboundProtocol: String, inboundContext: Data, csrfToken: String,
        browserBinding: String, createdAt: Date, expiresAt: Date, forceAuthentication: Bool, passive: Bool,
        maximumAuthenticationAge: TimeInterval? = nil, userID: String? = nil, attempts: Int = 0
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
    }
}
