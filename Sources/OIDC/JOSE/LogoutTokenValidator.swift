public import Foundation
public import IdentityCore

/// Validates a logout token as a relying party must (OpenID Connect Back-Channel Logout
/// 1.0 §2.6): the signature as for an ID token (the issuer's key by `kid`, an algorithm
/// the issuer uses), `iss`, `aud`, a fresh `iat` and `exp`, the back-channel logout event,
/// `sid` or `sub`, and no `nonce`; a `typ`, when present, must be `logout+jwt` (explicit
/// typing, so an ID token cannot pass for one). That the `jti` is new is the RP's to
/// remember.
public struct LogoutTokenValidator: Sendable {
    /// What the RP expects of the provider's ID tokens: §2.6 checks the logout token's
    /// signature, issuer and audience "in the same way".
    public let idTokens: IDTokenValidator
    /// A logout token is sent at once: one issued longer ago than this is refused.
    public static let maximumAge: TimeInterval = 300

    public init(idTokens: IDTokenValidator) {
        self.idTokens = idTokens
    }

    public func validate(_ token: String) async throws(JOSEError) -> LogoutTokenClaims {
        let (claims, header) = try await idTokens.keys.verify(token, as: LogoutTokenClaims.self, allowed: idTokens.allowedAlgorithms)
        if let typ = header.typ, typ.lowercased() != LogoutTokenClaims.type, typ.lowercased() != "application/" + LogoutTokenClaims.type {
            throw JOSEError(.jwtNotALogoutToken, field: "typ", value: typ, detail: "a logout token is typed logout+jwt")
        }
        try idTokens.checkIssuerAndAudience(iss: claims.iss, aud: claims.aud)
        let (now, clockSkew) = (idTokens.clock.now, idTokens.clockSkew)
        guard now < claims.exp.addingTimeInterval(clockSkew), now.timeIntervalSince(claims.iat) <= Self.maximumAge + clockSkew else {
            throw JOSEError(.jwtExpired, field: "exp", detail: "the logout token has expired or is too old")
        }
        guard claims.iat <= now.addingTimeInterval(clockSkew) else {
            throw JOSEError(.jwtIssuedInFuture, field: "iat", detail: "the token is issued in the future")
        }
        guard claims.events[LogoutTokenClaims.event] != nil else {
            throw JOSEError(.jwtNotALogoutToken, field: "events", detail: "no back-channel logout event")
        }
        guard claims.nonce == nil else {
            throw JOSEError(.jwtNotALogoutToken, field: "nonce", detail: "a logout token never carries a nonce")
        }
        guard claims.sid != nil || claims.sub != nil else {
            throw JOSEError(.jwtNotALogoutToken, field: "sid", detail: "the logout token names neither a session (sid) nor a subject (sub)")
        }
        return claims
    }
}
