public import Foundation
import IdentityCore

/// The pushed authorization request endpoint's answer (RFC 9126 §2.2).
public struct PushedAuthorizationResponse: Codable, Sendable, Equatable {
    public var request_uri: String
    public var expires_in: Int
}

/// Pushed authorization requests (RFC 9126): a client posts its authorization request
/// server to server, authenticated as at the token endpoint, and gets a one-time
/// `request_uri` to send the browser with. The request is checked now as the
/// authorization endpoint would check it (§2.1), so a bad one is refused to the client
/// rather than shown to the person; a `request` object in it is verified now too.
public struct PushedAuthorizationEndpoint: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// The client authentication parameters, which are not part of the authorization request.
    static let authenticationParameters: Set<String> = ["client_secret", "client_assertion", "client_assertion_type"]

    public func respond(to request: TokenRequest) async throws -> PushedAuthorizationResponse {
        let client = try await ClientAuthenticator(context: context).authenticate(request)
        guard !client.settings.revoked else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this application has been revoked")
        }
        guard request["request_uri"] == nil else {
            throw OAuthError(.oauthInvalidRequest, field: "request_uri", detail: "a pushed request may not carry a request_uri (RFC 9126 §2.1)")
        }
        var parameters = request.parameters.filter { !Self.authenticationParameters.contains($0.key) && !$0.value.isEmpty }
        var signed = false
        let resolver = RequestObjectResolver(context: context)
        if let object = request["request"] {
            let claimed = try await resolver.verify(object, client: client.serviceProvider, settings: client.settings)
            if let named = claimed["client_id"], named != client.settings.clientID {
                throw OAuthError(.oauthInvalidRequestObject, field: "client_id", value: named, detail: "the request object names another client")
            }
            parameters = claimed
            signed = true
        }
        if client.settings.requireSignedRequestObject && !signed {
            throw OAuthError(.oauthInvalidRequestObject, field: "request", detail: "this client must sign its authorization requests")
        }
        parameters["client_id"] = client.settings.clientID
        let known = Set(try await context.storage.scopes.list().map(\.name))
        do {
            _ = try AuthorizePipeline().run(AuthorizationRequest(parameters: parameters), client: client.serviceProvider, knownScopes: known)
        } catch {
            // What the authorization endpoint would show on a page (an unregistered redirect
            // URI) is, to a client at this endpoint, an invalid request.
            let refusal = error.error
            guard refusal.code.oauthError == nil else { throw refusal }
            throw OAuthError(.oauthInvalidRequest, field: refusal.field, value: refusal.value, detail: "\(refusal.code): \(refusal.detail)")
        }
        let uri = RequestObjectResolver.requestURIPrefix + context.random.token()
        try await context.storage.pushedAuthorizations.create(
            PushedAuthorizationRecord(
                id: OAuthContext.storageID(uri), clientID: client.settings.clientID, parameters: parameters, signed: signed,
                expiresAt: context.clock.now.addingTimeInterval(TimeInterval(RequestObjectResolver.pushedRequestLifetime))))
        return PushedAuthorizationResponse(request_uri: uri, expires_in: RequestObjectResolver.pushedRequestLifetime)
    }
}
