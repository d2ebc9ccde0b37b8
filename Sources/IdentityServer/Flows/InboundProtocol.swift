import AuthFramework
import Foundation
import Hummingbird
import IdentityCore

// Every inbound protocol has the same shape, in a folder of its own (`SAML/`, `OIDC/`):
// routes that validate the application's request and start a flow with a context, the
// context itself (what the protocol keeps with the flow, server side), and a responder
// that ends the flow — with the protocol module building the answer.

/// What an inbound protocol keeps with a flow to answer the application when it ends.
/// Nothing in it reaches the browser, so nothing in it can be changed between request
/// and response.
protocol InboundFlowContext: Codable {
    /// What flows record as their `inboundProtocol`, and how they find the responder.
    static var protocolName: String { get }
}

extension InboundFlowContext {
    func encoded() throws -> Data { try JSONEncoder().encode(self) }

    static func decode(_ data: Data) throws -> Self { try JSONDecoder().decode(Self.self, from: data) }
}

/// How an inbound protocol ends a flow it started.
protocol InboundFlowResponder: Sendable {
    associatedtype Context: InboundFlowContext
    func complete(_ result: AuthenticationResult, context: Context) async throws -> Response
    func fail(_ error: AuthError, context: Context, serviceProvider: ServiceProvider) async throws -> Response
}

extension InboundFlowResponder {
    var protocolName: String { Context.protocolName }

    /// `complete` with the context the flow stored.
    func complete(_ result: AuthenticationResult) async throws -> Response {
        try await complete(result, context: Context.decode(result.inboundContext))
    }

    /// `fail` with the context the flow stored.
    func fail(_ error: AuthError, storedContext: Data, serviceProvider: ServiceProvider) async throws -> Response {
        try await fail(error, context: Context.decode(storedContext), serviceProvider: serviceProvider)
    }
}

extension AuthenticationRequest {
    /// A login for `serviceProvider` that an inbound protocol answers with `context`.
    init(
        serviceProvider: String, inbound context: some InboundFlowContext, forceAuthentication: Bool = false, passive: Bool = false,
        maximumAuthenticationAge: TimeInterval? = nil, forceConsent: Bool = false, requestPathCredentials: Credentials? = nil
    ) throws {
        self.init(
            serviceProvider: serviceProvider, inboundProtocol: type(of: context).protocolName, inboundContext: try context.encoded(),
            forceAuthentication: forceAuthentication, passive: passive, maximumAuthenticationAge: maximumAuthenticationAge,
            forceConsent: forceConsent, requestPathCredentials: requestPathCredentials)
    }
}
