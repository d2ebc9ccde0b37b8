import Foundation
import IdentityCore

/// Token introspection (RFC 7662) for authenticated clients (resource servers): an
/// unknown, expired or revoked token is simply `active: false`.
public struct IntrospectionResponse: Codable, Sendable, Equatable {
    public var active: Bool
    public var scope: String?
    public var client_id: String?
    public var token_type: String?
    public var exp: Int?
    public var iat: Int?
    public var sub: String?
    public var aud: String?
    public var iss: String?

    public static let inactive = IntrospectionResponse(active: false)

    public init(active: Bool) {
        self.active = active
    }
}

public struct IntrospectionEndpoint: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Only confidential, unrevoked clients may introspect, and only their own tokens: an
    /// answer about another client's token would let any client scan for live tokens
    /// (RFC 7662 §4). A token of another client is simply inactive to the caller.
    public func respond(to request: TokenRequest) async throws -> IntrospectionResponse {
        let client = try await ClientAuthenticator(context: context).authenticate(request)
        guard client.method != "none" else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "a public client may not introspect tokens")
        }
        guard !client.settings.revoked else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this application has been revoked")
        }
        guard let token = request["token"] else {
            throw OAuthError(.oauthInvalidRequest, field: "token", detail: "token is required")
        }
        guard let record = try await context.storage.tokens.get(id: OAuthContext.storageID(token)), !record.revoked,
            record.expiresAt > context.clock.now, record.clientID == client.settings.clientID
        else { return .inactive }
        var response = IntrospectionResponse(active: true)
        response.scope = record.scopes.isEmpty ? nil : record.scopes.joined(separator: " ")
        response.client_id = record.clientID
        response.token_type = record.kind == .access ? "Bearer" : "refresh_token"
        response.exp = Int(record.expiresAt.timeIntervalSince1970)
        response.iat = Int(record.issuedAt.timeIntervalSince1970)
        response.sub = record.subject
        response.aud = record.clientID
        response.iss = context.issuer
        return response
    }
}

/// Token revocation (RFC 7009): a client revokes its own tokens; revoking a refresh token
/// revokes the access tokens of its grant too (§2.1). Unknown tokens are not an error.
public struct RevocationEndpoint: Sendable {
    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func respond(to request: TokenRequest) async throws {
        let client = try await ClientAuthenticator(context: context).authenticate(request)
        guard let token = request["token"] else {
            throw OAuthError(.oauthInvalidRequest, field: "token", detail: "token is required")
        }
        let id = OAuthContext.storageID(token)
        guard let record = try await context.storage.tokens.get(id: id), record.clientID == client.settings.clientID else { return }
        if record.kind == .refresh {
            try await context.storage.tokens.revoke(grantID: record.grantID)
        } else {
            try await context.storage.tokens.update(id: id, OAuthTokenRecord.revoking)
        }
    }
}
