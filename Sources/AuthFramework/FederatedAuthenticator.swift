public import Foundation
public import IdentityCore

/// How the browser reaches a federated IdP: a redirect (OAuth, SAML HTTP-Redirect) or an
/// auto-posted form (SAML HTTP-POST).
public enum FederatedRedirect: Sendable, Equatable {
    case redirect(String)
    case post(url: String, fields: [FormField])

    public struct FormField: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }
}

/// A federated login begun: where to send the browser, and what the connector needs to
/// check the answer (nonce, PKCE verifier, AuthnRequest ID) — kept server-side in the flow.
public struct FederatedStart: Sendable {
    public var redirect: FederatedRedirect
    public var context: Data

    public init(redirect: FederatedRedirect, context: Data) {
        self.redirect = redirect
        self.context = context
    }
}

/// One kind of upstream IdP (FE-1). A connector sends people to the IdP and validates
/// its answer as a careful relying party (FE-3) into a `FederatedIdentity`, refusing
/// anything doubtful with a stable error code. Connectors live in their own module and
/// are handed to the engine in a registry: the engine knows no protocol.
public protocol FederatedAuthenticator: Sendable {
    /// Starts a login at `identityProvider`; `state` must come back with the answer
    /// (OAuth `state`, SAML `RelayState`) so the answer finds its flow.
    func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart

    /// Validates the IdP's answer (the callback's query or form fields) into who the
    /// person is there. A refusal by the IdP (the person said no) throws
    /// `auth.federated_denied`; anything invalid throws the connector's own code.
    func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
        -> FederatedIdentity
}

/// The connectors by IdP kind, handed to the engine by whoever assembles the server.
public struct ConnectorRegistry: Sendable {
    let connectors: [IdentityProvider.Kind: any FederatedAuthenticator]

    public init(_ connectors: [IdentityProvider.Kind: any FederatedAuthenticator]) {
        self.connectors = connectors
    }

    /// No federation at all (tests of local login).
    public static let none = ConnectorRegistry([:])

    public func connector(for kind: IdentityProvider.Kind) -> (any FederatedAuthenticator)? { connectors[kind] }
}

/// A bearer assertion (RFC 7522, RFC 7523) that an identity provider issued about a
/// person and that verified: who the person is there, and what holds it to one use.
public struct VerifiedBearerAssertion: Sendable {
    public var identity: FederatedIdentity
    /// The assertion's `jti` or SAML Assertion ID.
    public var uniqueID: String
    /// Until when a replay must be refused.
    public var expiresAt: Date

    public init(identity: FederatedIdentity, uniqueID: String, expiresAt: Date) {
        self.identity = identity
        self.uniqueID = uniqueID
        self.expiresAt = expiresAt
    }
}

/// A connector that can also verify an assertion its kind of IdP issued for presentation
/// at this server's token endpoint (OA-2's jwt-bearer and saml2-bearer grants).
public protocol BearerAssertionVerifying: Sendable {
    /// Verifies `assertion` (a JWT, or a base64url SAML Assertion) as issued by
    /// `identityProvider` for this authorization server, named by `audiences` (its token
    /// endpoint first). Single use is the caller's.
    func verifyBearerAssertion(_ assertion: String, from identityProvider: IdentityProvider, audiences: [String]) async throws
        -> VerifiedBearerAssertion
}

extension AuthenticationEngine {
    /// Whom a verified bearer assertion names here: the account the federated person maps
    /// to (associated or provisioned), else — no browser to ask anything on — a transient
    /// user, as JIT mode `none` would give; nobody is provisioned by a token request.
    public func assertedSubject(_ identity: FederatedIdentity, identityProvider: IdentityProvider) async throws -> (user: User, isTransient: Bool) {
        if let user = try await mappedAccount(FederatedAccount(identityProvider: identityProvider.name, subject: identity.subject)) {
            return (user, false)
        }
        return (Self.federatedUser(identity, idp: identityProvider), true)
    }
}
