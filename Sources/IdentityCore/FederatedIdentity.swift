public import Foundation

/// What a federated IdP said about a person, after its connector validated the answer
/// (FE-3): protocol-neutral, in the IdP's own claim names. IdP claim mapping (FE-2) turns
/// it into local claims; JIT provisioning may turn it into an account.
public struct FederatedIdentity: Codable, Hashable, Sendable {
    /// The IdP's name in this server.
    public var identityProvider: String
    /// The person's ID at the IdP: the value of its user ID claim.
    public var subject: String
    /// Every claim the IdP sent, by the IdP's names; several values where it sent several.
    public var claims: [String: [String]]

    public init(identityProvider: String, subject: String, claims: [String: [String]]) {
        self.identityProvider = identityProvider
        self.subject = subject
        self.claims = claims
    }
}

/// The link between a local account and the person at an IdP it was provisioned from
/// (JIT-6): the same IdP and subject find the same account again.
public struct FederatedAccount: Codable, Hashable, Sendable {
    public var identityProvider: String
    public var subject: String

    public init(identityProvider: String, subject: String) {
        self.identityProvider = identityProvider
        self.subject = subject
    }

    /// The unique key a store indexes.
    public var key: String { "\(identityProvider)/\(subject)" }
}

/// FE-4, JIT-6: a federated person mapped to a local account — the account was
/// provisioned from them (JIT), or they proved in a login that an existing account is
/// theirs (its password). A federated person maps to one account; an account may have
/// several (as in WSO2, even several at one IdP). Provisioned accounts also carry the link
/// as `User.federation`, written in the same insert as the account, so a crash between
/// the two writes loses nothing: the account is found by that and the association made
/// again.
public struct FederatedAssociation: Codable, Hashable, Sendable {
    public var id: String
    public var identityProvider: String
    /// The person's user ID at the IdP.
    public var subject: String
    public var userID: String
    /// True when the account was provisioned from this person (JIT).
    public var provisioned: Bool
    public var associatedAt: Date

    public init(id: String, identityProvider: String, subject: String, userID: String, provisioned: Bool, associatedAt: Date) {
        self.id = id
        self.identityProvider = identityProvider
        self.subject = subject
        self.userID = userID
        self.provisioned = provisioned
        self.associatedAt = associatedAt
    }

    public var account: FederatedAccount { FederatedAccount(identityProvider: identityProvider, subject: subject) }
}
