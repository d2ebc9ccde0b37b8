public import Foundation

/// A browser's single sign-on session at the server (AU-6).
///
/// `id` is the SHA-256 of the cookie value, never the value itself, so a database leak
/// does not hand out live sessions.
public struct SSOSession: Codable, Hashable, Sendable {
    public var id: String
    public var userID: String
    public var authenticatedAt: Date
    public var expiresAt: Date
    /// Which authenticators the person passed (`basic`, …).
    public var authenticators: [String]
    /// The service providers this session has logged in to (for single logout, SA-10).
    public var participants: [SessionParticipant]
    /// A federated person without a local account (JIT mode `none`): kept here, since no
    /// store holds them.
    public var transientUser: User?
    /// A federated person with an account (`userID`): how the IdP presented them, for
    /// SPs that do not use the mapped local subject (CL-6).
    public var federatedUser: User?
    /// The federated IdP login this session came from, for federated logout.
    public var federatedLogin: FederatedLogin?

    public init(
        id: String, userID: String, authenticatedAt: Date, expiresAt: Date, authenticators: [String],
        participants: [SessionParticipant] = [], transientUser: User? = nil, federatedUser: User? = nil, federatedLogin: FederatedLogin? = nil
    ) {
        self.id = id
        self.userID = userID
        self.authenticatedAt = authenticatedAt
        self.expiresAt = expiresAt
        self.authenticators = authenticators
        self.participants = participants
        self.transientUser = transientUser
        self.federatedUser = federatedUser
        self.federatedLogin = federatedLogin
    }
}

/// One service provider a session has logged in to.
public struct SessionParticipant: Codable, Hashable, Sendable {
    public var serviceProvider: String
    public var sessionIndex: String
    public var subject: String
    public var subjectFormat: String?

    public init(serviceProvider: String, sessionIndex: String, subject: String, subjectFormat: String?) {
        self.serviceProvider = serviceProvider
        self.sessionIndex = sessionIndex
        self.subject = subject
        self.subjectFormat = subjectFormat
    }
}
