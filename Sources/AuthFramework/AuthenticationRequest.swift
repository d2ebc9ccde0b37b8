public import Foundation

/// A login request with the protocol taken out: which SP, and the protocol's own context
/// to hand back when the flow completes.
public struct AuthenticationRequest: Sendable {
    public var serviceProvider: String
    /// `saml`, `oidc`, …: which response builder finishes the flow.
    public var inboundProtocol: String
    /// Opaque to the engine; stored with the flow and returned in the result.
    public var inboundContext: Data
    /// Ask the person to authenticate even with a live session (SAML ForceAuthn).
    public var forceAuthentication: Bool
    /// Never show a page; answer from a session or fail (SAML IsPassive, OIDC prompt=none).
    public var passive: Bool
    /// A session older than this many seconds does not count (OIDC max_age).
    public var maximumAuthenticationAge: TimeInterval?
    /// Ask for consent even if it was given before (OIDC prompt=consent).
    public var forceConsent: Bool
    /// AU-4: a username and password that came with the request (HTTP Basic).
    public var requestPathCredentials: Credentials?

    public struct Credentials: Sendable {
        public var username: String
        public var password: String
        /// Where they came from (AU-7's per-address limit).
        public var clientAddress: String?
        public init(username: String, password: String, clientAddress: String? = nil) {
            self.username = username
            self.password = password
            self.clientAddress = clientAddress
        }
    }

    public init(
        serviceProvider: String, inboundProtocol: String, inboundContext: Data, forceAuthentication: Bool = false, passive: Bool = false,
        maximumAuthenticationAge: TimeInterval? = nil, forceConsent: Bool = false, requestPathCredentials: Credentials? = nil
    ) {
        self.serviceProvider = serviceProvider
        self.inboundProtocol = inboundProtocol
        self.inboundContext = inboundContext
        self.forceAuthentication = forceAuthentication
        self.passive = passive
        self.maximumAuthenticationAge = maximumAuthenticationAge
        self.forceConsent = forceConsent
        self.requestPathCredentials = requestPathCredentials
    }
}
