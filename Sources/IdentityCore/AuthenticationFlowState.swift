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
    /// AU-1: the sequence step being passed (0-based) and the steps passed so far.
    public var step: Int
    public var completedSteps: [CompletedStep]
    /// Waiting for a federated IdP's answer: which IdP, the state it must return, and
    /// what its connector keeps to check the answer.
    public var federation: PendingFederation?
    /// JIT-1: a federated person waiting at the provisioning page.
    public var provisioning: PendingProvisioning?
    /// MF-1: a TOTP secret being enrolled (shown once, stored when a code proves it).
    public var enrollingSecret: String?
    /// AU-4: credentials sent with the request did not authenticate.
    public var requestPathFailed: Bool
    /// AU-4: the account credentials sent with the request authenticated (first step).
    public var requestPathUserID: String?
    /// AU-2: once the sequence is passed, whose subject and whose claims the SP gets.
    public var subjectUser: FlowUser?
    public var attributesUser: FlowUser?
    /// The account whose admin-set password the person is replacing (stage changePassword).
    public var passwordChangeUserID: String?

    public enum Stage: String, Codable, Hashable, Sendable {
        case authenticate, federated, provision, totp, claims, consent
        /// An admin set the account's password; the person chooses their own.
        case changePassword
        /// FE-4: a federated person proving they own an existing account, to link it.
        case associate
    }

    /// One passed step: the option used and the person it established.
    public struct CompletedStep: Codable, Hashable, Sendable {
        public var option: String
        public var user: FlowUser
        /// A federated step's login at the IdP (federated logout).
        public var federatedLogin: FederatedLogin?

        public init(option: String, user: FlowUser, federatedLogin: FederatedLogin? = nil) {
            self.option = option
            self.user = user
            self.federatedLogin = federatedLogin
        }
    }

    public struct PendingFederation: Codable, Hashable, Sendable {
        public var identityProvider: String
        public var state: String
        public var context: Data

        public init(identityProvider: String, state: String, context: Data) {
            self.identityProvider = identityProvider
            self.state = state
            self.context = context
        }
    }

    public struct PendingProvisioning: Codable, Hashable, Sendable {
        public var identity: FederatedIdentity
        /// The username found taken: the page now asks for one (JIT-8).
        public var usernameTaken: Bool

        public init(identity: FederatedIdentity, usernameTaken: Bool = false) {
            self.identity = identity
            self.usernameTaken = usernameTaken
        }
    }

    public init(
        id: String, serviceProvider: String, inboundProtocol: String, inboundContext: Data, csrfToken: String,
        browserBinding: String, createdAt: Date, expiresAt: Date, forceAuthentication: Bool, passive: Bool,
        maximumAuthenticationAge: TimeInterval? = nil, userID: String? = nil, attempts: Int = 0, stage: Stage = .authenticate,
        sessionID: String? = nil, authenticatedAt: Date? = nil, pending: [String] = [], forceConsent: Bool = false, step: Int = 0,
        completedSteps: [CompletedStep] = [], federation: PendingFederation? = nil, provisioning: PendingProvisioning? = nil,
        enrollingSecret: String? = nil, requestPathFailed: Bool = false, requestPathUserID: String? = nil, subjectUser: FlowUser? = nil, attributesUser: FlowUser? = nil
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
        self.step = step
        self.completedSteps = completedSteps
        self.federation = federation
        self.provisioning = provisioning
        self.enrollingSecret = enrollingSecret
        self.requestPathFailed = requestPathFailed
        self.requestPathUserID = requestPathUserID
        self.subjectUser = subjectUser
        self.attributesUser = attributesUser
    }
}

/// A person a flow has established: an account in a user store; a federated person the
/// IdP's JIT settings do not provision — a user known only for this login, kept whole in
/// the flow (and the session); or a federated person who has an account here (provisioned
/// or associated), with how the IdP presented them at this login, since an SP that does
/// not use the mapped local subject (CL-6) receives that instead of the account.
public enum FlowUser: Codable, Hashable, Sendable {
    case account(String)
    case transient(User)
    case federated(account: String, identity: User)

    /// The account this person is, if they have one.
    public var accountID: String? {
        switch self {
        case .account(let id), .federated(let id, _): id
        case .transient: nil
        }
    }
}
