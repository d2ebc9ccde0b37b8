public import Foundation
public import IdentityCore
public import JWTKit

/// The claims of a JWT bearer authorization grant (RFC 7523 §3): who issued it, whom it
/// names, for which authorization server, until when, and its unique ID; any other claim
/// is kept as the person's attributes.
public struct BearerAssertionClaims: JWTPayload {
    public var iss: String
    public var sub: String
    public var aud: AudienceClaim
    public var exp: Date
    public var nbf: Date?
    public var iat: Date?
    public var jti: String?
    public var claims: [String: ClaimValue]

    static let registered: Set<String> = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ClaimKey.self)
        iss = try c.decode(String.self, forKey: ClaimKey("iss"))
        sub = try c.decode(String.self, forKey: ClaimKey("sub"))
        aud = try c.decode(AudienceClaim.self, forKey: ClaimKey("aud"))
        guard let expiry = try IDTokenClaims.seconds(c, "exp") else {
            throw DecodingError.keyNotFound(ClaimKey("exp"), .init(codingPath: c.codingPath, debugDescription: "exp is required"))
        }
        exp = Date(timeIntervalSince1970: TimeInterval(expiry))
        nbf = try IDTokenClaims.seconds(c, "nbf").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        iat = try IDTokenClaims.seconds(c, "iat").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        jti = try c.decodeIfPresent(String.self, forKey: ClaimKey("jti"))
        var claims = [String: ClaimValue]()
        for key in c.allKeys where !Self.registered.contains(key.stringValue) {
            claims[key.stringValue] = try c.decode(ClaimValue.self, forKey: key)
        }
        self.claims = claims
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ClaimKey.self)
        try c.encode(iss, forKey: ClaimKey("iss"))
        try c.encode(sub, forKey: ClaimKey("sub"))
        try c.encode(aud, forKey: ClaimKey("aud"))
        try c.encode(Int(exp.timeIntervalSince1970), forKey: ClaimKey("exp"))
        try c.encodeIfPresent(nbf.map { Int($0.timeIntervalSince1970) }, forKey: ClaimKey("nbf"))
        try c.encodeIfPresent(iat.map { Int($0.timeIntervalSince1970) }, forKey: ClaimKey("iat"))
        try c.encodeIfPresent(jti, forKey: ClaimKey("jti"))
        for (name, value) in claims where !Self.registered.contains(name) { try c.encode(value, forKey: ClaimKey(name)) }
    }
}

/// Validates a JWT bearer authorization grant (RFC 7523 §3) from a trusted issuer: the
/// signature by a key the issuer publishes, `iss`, `aud` naming this authorization server
/// (its token endpoint or its issuer identifier, §3 item 3), `exp` present and not past,
/// `nbf` and `iat` not in the future, a lifetime of at most `maximumLifetime` (item 5
/// lets the server refuse an `exp` unreasonably far ahead: a stolen assertion then dies
/// soon, and the replay cache stays small), and a `jti` — which RFC 7523 leaves
/// optional and this server requires, since without it an assertion cannot be held to
/// one use. Single use itself is the caller's (it owns the replay store).
public struct BearerAssertionValidator: Sendable {
    public let issuer: String
    public let audiences: Set<String>
    public let keys: VerificationKeySet
    public let clock: any WallClock
    public let clockSkew: TimeInterval
    public let maximumLifetime: TimeInterval

    public init(
        issuer: String, audiences: Set<String>, keys: VerificationKeySet, clock: any WallClock, clockSkew: TimeInterval = 60,
        maximumLifetime: TimeInterval = 3600
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.keys = keys
        self.clock = clock
        self.clockSkew = clockSkew
        self.maximumLifetime = maximumLifetime
    }

    public func validate(_ token: String) async throws(JOSEError) -> BearerAssertionClaims {
        let (claims, _) = try await keys.verify(token, as: BearerAssertionClaims.self)
        guard claims.iss == issuer else {
            throw JOSEError(.jwtIssuerMismatch, field: "iss", value: claims.iss, detail: "the assertion was issued by another issuer")
        }
        guard claims.aud.value.contains(where: audiences.contains) else {
            throw JOSEError(
                .jwtAudienceMismatch, field: "aud", value: claims.aud.value.joined(separator: " "),
                detail: "the assertion is not addressed to this authorization server")
        }
        let now = clock.now
        guard now < claims.exp.addingTimeInterval(clockSkew) else {
            throw JOSEError(.jwtExpired, field: "exp", detail: "the assertion has expired")
        }
        if let nbf = claims.nbf, now.addingTimeInterval(clockSkew) < nbf {
            throw JOSEError(.jwtNotYetValid, field: "nbf", detail: "the assertion is not valid yet")
        }
        if let iat = claims.iat, now.addingTimeInterval(clockSkew) < iat {
            throw JOSEError(.jwtIssuedInFuture, field: "iat", detail: "the assertion is issued in the future")
        }
        guard claims.exp.timeIntervalSince(claims.iat ?? now) <= maximumLifetime + clockSkew else {
            throw JOSEError(
                .jwtExpired, field: "exp", detail: "the assertion lives longer than \(Int(maximumLifetime)) seconds; this server refuses it")
        }
        guard let jti = claims.jti, !jti.isEmpty else {
            throw JOSEError(.jwtClaimMissing, field: "jti", detail: "the assertion has no jti, so it cannot be held to one use")
        }
        return claims
    }

    /// The `iss` an unverified JWT claims: only to choose whose keys verify it.
    public static func claimedIssuer(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            let peek = try? JSONDecoder().decode(IssuerPeek.self, from: payload)
        else { return nil }
        return peek.iss
    }

    private struct IssuerPeek: Decodable { let iss: String? }
}
