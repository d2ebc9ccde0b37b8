public import Foundation
public import IdentityCore
public import IdentityStorage

/// An issued authorization code (RFC 6749 §4.1.2), stored under the SHA-256 of the code.
/// Single-use: `used` is set by a compare-and-swap when it is exchanged (OA-7).
public struct AuthorizationCodeRecord: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "authorization_codes", what: "authorization code", primary: .init(name: "id", field: "id", read: { $0.id }))

    public var id: String
    public var clientID: String
    public var userID: String
    /// The `sub` the tokens will carry, fixed when the user authenticated.
    public var subject: String
    public var redirectURI: String
    public var scopes: [String]
    public var nonce: String?
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var authTime: Date
    public var sessionID: String?
    /// Every token issued from this code shares it, so reusing the code can revoke them.
    public var grantID: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var used: Bool
    /// Set when the code was presented again after it was used (OA-7).
    public var replayed: Bool?
    /// Whether the authorization request named the redirect URI (RFC 6749 §4.1.3: then
    /// the token request must repeat it); false when the only registered one was used.
    public var redirectURIGiven: Bool?
    /// A federated person without an account (JIT mode `none`): kept with what was
    /// issued for them, since no user store holds them.
    public var transientUser: User?

    public init(
        id: String, clientID: String, userID: String, subject: String, redirectURI: String, scopes: [String], nonce: String?,
        codeChallenge: String?, codeChallengeMethod: String?, authTime: Date, sessionID: String?, grantID: String, issuedAt: Date,
        expiresAt: Date, used: Bool = false, redirectURIGiven: Bool? = nil, transientUser: User? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.userID = userID
        self.subject = subject
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.authTime = authTime
        self.sessionID = sessionID
        self.grantID = grantID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.used = used
        self.redirectURIGiven = redirectURIGiven
        self.transientUser = transientUser
    }
}

/// An access or refresh token, stored under the SHA-256 of the token (never the token).
public struct OAuthTokenRecord: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "tokens", what: "token", primary: .init(name: "id", field: "id", read: { $0.id }),
        indexed: [
            .init(name: "grant_id", field: "grantID", read: { $0.grantID }), .init(name: "client_id", field: "clientID", read: { $0.clientID }),
            .init(name: "session_id", field: "sessionID", read: { $0.sessionID }),
        ])

    public enum Kind: String, Codable, Sendable { case access, refresh }

    public var id: String
    public var kind: Kind
    public var clientID: String
    /// Nil for tokens an application got for itself (client_credentials).
    public var userID: String?
    public var subject: String?
    public var scopes: [String]
    /// The family: a code's tokens and every refresh that followed share it.
    public var grantID: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var authTime: Date?
    public var revoked: Bool
    /// Set on a refresh token when it was exchanged for a new one (rotation).
    public var rotated: Bool
    /// A federated person without an account (JIT mode `none`).
    public var transientUser: User?
    /// A rotated refresh token: when, and the token response its exchange gave, sealed
    /// with a key derived from this refresh token — only its holder can open it, so the
    /// stored tokens stay unreadable like every other (the reuse grace window).
    public var rotatedAt: Date?
    public var sealedResponse: Data?
    /// A rotated refresh token presented again outside the grace window: when. The
    /// rotation it may have raced looks for this after issuing (``RefreshTokenGrant``).
    public var replayedAt: Date?
    /// The SSO session it came from, if any: ending that session revokes it.
    public var sessionID: String?

    public init(
        id: String, kind: Kind, clientID: String, userID: String?, subject: String?, scopes: [String], grantID: String, issuedAt: Date,
        expiresAt: Date, authTime: Date?, revoked: Bool = false, rotated: Bool = false, transientUser: User? = nil, sessionID: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.clientID = clientID
        self.userID = userID
        self.subject = subject
        self.scopes = scopes
        self.grantID = grantID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.authTime = authTime
        self.revoked = revoked
        self.rotated = rotated
        self.transientUser = transientUser
        self.sessionID = sessionID
    }
}

/// A device authorization (RFC 8628), stored under the SHA-256 of the device code and
/// found by the user code a person types.
public struct DeviceAuthorizationRecord: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "device_authorizations", what: "device authorization", primary: .init(name: "id", field: "id", read: { $0.id }),
        unique: [.init(name: "user_code", field: "userCode", read: { $0.userCode })])

    public enum Status: String, Codable, Sendable { case pending, approved, denied, consumed }

    public var id: String
    public var userCode: String
    public var clientID: String
    public var scopes: [String]
    public var issuedAt: Date
    public var expiresAt: Date
    /// Seconds a client must wait between polls (RFC 8628 §3.5: `slow_down` adds 5).
    public var interval: Int
    public var lastPolledAt: Date?
    public var status: Status
    public var userID: String?
    public var subject: String?
    public var authTime: Date?

    public init(
        id: String, userCode: String, clientID: String, scopes: [String], issuedAt: Date, expiresAt: Date, interval: Int,
        lastPolledAt: Date? = nil, status: Status = .pending, userID: String? = nil, subject: String? = nil, authTime: Date? = nil
    ) {
        self.id = id
        self.userCode = userCode
        self.clientID = clientID
        self.scopes = scopes
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.status = status
        self.userID = userID
        self.subject = subject
        self.authTime = authTime
    }
}

/// An OpenID Connect scope and the claims (by OIDC claim name) it releases (CL-8).
public struct OIDCScope: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "scopes", what: "scope", primary: .init(name: "name", field: "name", read: { $0.name }))

    public var name: String
    public var claims: [String]

    public init(name: String, claims: [String]) {
        self.name = name
        self.claims = claims
    }

    /// OpenID Connect Core §5.4, plus `roles` (not in the standard; WSO2 ships a scope
    /// for the role claim too) so an RP can ask for the user's roles (CL-7).
    public static let standard: [OIDCScope] = [
        OIDCScope(name: "openid", claims: ["sub"]),
        OIDCScope(
            name: "profile",
            claims: [
                "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
                "gender", "birthdate", "zoneinfo", "locale", "updated_at",
            ]),
        OIDCScope(name: "email", claims: ["email", "email_verified"]),
        OIDCScope(name: "address", claims: ["address"]),
        OIDCScope(name: "phone", claims: ["phone_number", "phone_number_verified"]),
        OIDCScope(name: "roles", claims: ["roles"]),
    ]
}

/// A pushed authorization request (RFC 9126): the parameters a client posted, kept under
/// the hash of the `request_uri` it was given, for one use within `expiresAt`.
public struct PushedAuthorizationRecord: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "pushed_authorization_requests", what: "pushed authorization request", primary: .init(name: "id", field: "id", read: { $0.id }))

    public var id: String
    public var clientID: String
    /// The authorization request's parameters: from the signed request object when the
    /// client pushed one, else the posted form.
    public var parameters: [String: String]
    /// Whether they came from a request object signed with the application's key.
    public var signed: Bool
    public var expiresAt: Date
    public var used: Bool

    public init(id: String, clientID: String, parameters: [String: String], signed: Bool, expiresAt: Date, used: Bool = false) {
        self.id = id
        self.clientID = clientID
        self.parameters = parameters
        self.signed = signed
        self.expiresAt = expiresAt
        self.used = used
    }
}
