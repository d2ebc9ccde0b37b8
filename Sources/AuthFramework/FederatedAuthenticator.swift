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
