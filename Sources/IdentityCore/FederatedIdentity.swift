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
