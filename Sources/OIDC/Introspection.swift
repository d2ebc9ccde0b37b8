public import Foundation
import IdentityCore

/// Token introspection (RFC 7662) for authenticated clients (resource servers): an
/// unknown, expired or revoked token is simply `active: false`.
public struct IntrospectionResponse: Codable, Sendable, Equatable {
    public var active: Bool
    public var scope: String?
    public var client_id: String?
    public var username: String?
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

    public func respond(to request: TokenRequest) async throws -> IntrospectionResponse {
        _ = try await ClientAuthenticator(context: context).authenticate(request)
        guard let token = request["token"] else {
            throw OAuthError(.oauthInvalidRequest, field: "token", detail: "token is required")
        }
        guard let record = try await context.storage.tokens.get(id: OAuthContext.storageID(token)), !record.revoked,
            record.expiresAt > context.clock.now
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
        if let userID = record.userID { response.username = try? await context.storage.users.get(id: userID).identifier.description }
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
