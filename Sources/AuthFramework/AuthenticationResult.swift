public import Foundation
public import IdentityCore

/// A claim as released to the SP: under the SP's name for it (CL-1).
public struct ReleasedClaim: Sendable, Equatable, Codable {
    public var name: String
    public var localClaim: String
    public var value: String

    public init(name: String, localClaim: String, value: String) {
        self.name = name
        self.localClaim = localClaim
        self.value = value
    }
}

/// A completed login: who, for which SP, with what claims, in which session.
public struct AuthenticationResult: Sendable {
    public var user: User
    public var serviceProvider: ServiceProvider
    /// The subject identifier sent to the SP (SAML NameID, OIDC sub) (CL-5).
    public var subject: String
    public var claims: [ReleasedClaim]
    public var sessionID: String
    /// Identifies this SP's part of the session (SAML SessionIndex).
    public var sessionIndex: String
    public var authenticatedAt: Date
    public var inboundProtocol: String
    public var inboundContext: Data
    /// `user` has no account (a federated person, JIT mode `none`): protocols that keep
    /// state for later (OIDC tokens) must keep the user with it.
    public var userIsTransient: Bool = false
}
