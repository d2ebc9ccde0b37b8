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
    /// What federated logout needs of this login, when the IdP's protocol has logout.
    public var login: FederatedLogin?

    public init(identityProvider: String, subject: String, claims: [String: [String]], login: FederatedLogin? = nil) {
        self.identityProvider = identityProvider
        self.subject = subject
        self.claims = claims
        self.login = login
    }
}

/// How a session's person signed in at a federated IdP, kept with the session for
/// federated logout (SA-10): the server logs them out there too, and a logout the IdP
/// starts finds the session again. For SAML the NameID and SessionIndex the assertion
/// carried: a LogoutRequest must name both as the IdP issued them. For OpenID Connect the
/// `sub`, `sid` and the ID token itself (the `id_token_hint` of RP-initiated logout).
public struct FederatedLogin: Codable, Hashable, Sendable {
    public var identityProvider: String
    /// The person's name at the IdP (a SAML NameID).
    public var nameID: String
    public var nameIDFormat: String?
    /// The IdP's session for them (a SAML SessionIndex, an OIDC `sid`), when it sent one.
    public var sessionIndex: String?
    /// OpenID Connect: the ID token, sent back as `id_token_hint` at logout.
    public var idToken: String?

    public init(identityProvider: String, nameID: String, nameIDFormat: String?, sessionIndex: String?, idToken: String? = nil) {
        self.identityProvider = identityProvider
        self.nameID = nameID
        self.nameIDFormat = nameIDFormat
        self.sessionIndex = sessionIndex
        self.idToken = idToken
    }

    /// What sessions are found by when the IdP logs its person out: the IdP and the name.
    public var key: String { Self.key(identityProvider: identityProvider, nameID: nameID) }

    public static func key(identityProvider: String, nameID: String) -> String { "\(identityProvider)\n\(nameID)" }
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
