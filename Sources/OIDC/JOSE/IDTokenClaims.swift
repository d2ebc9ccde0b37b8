public import Foundation
public import JWTKit

/// The claims of an ID token (OIDC Core §2) plus the user's released claims.
///
/// `aud` is written as a string for one audience and an array for more, as OIDC allows;
/// times are whole seconds. `verify(using:)` checks nothing: relying parties validate with
/// `IDTokenValidator`, which knows their issuer, client ID and nonce.
public struct IDTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var aud: [String]
    public var exp: Date
    public var iat: Date
    public var authTime: Date?
    public var nonce: String?
    public var azp: String?
    public var atHash: String?
    public var cHash: String?
    public var sid: String?
    /// Not before (RFC 7519 §4.1.5): rare in ID tokens, honoured when present.
    public var nbf: Date?
    /// Released user claims by OIDC name.
    public var claims: [String: ClaimValue]

    public init(
        iss: String, sub: String, aud: [String], exp: Date, iat: Date, authTime: Date? = nil, nonce: String? = nil, azp: String? = nil,
        atHash: String? = nil, cHash: String? = nil, sid: String? = nil, claims: [String: ClaimValue] = [:]
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.nonce = nonce
        self.azp = azp
        self.atHash = atHash
        self.cHash = cHash
        self.sid = sid
        self.claims = claims
    }

    static let registered: Set<String> = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp", "at_hash", "c_hash", "sid", "nbf"]

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ClaimKey.self)
        try c.encode(iss, forKey: ClaimKey("iss"))
        try c.encode(sub, forKey: ClaimKey("sub"))
        if aud.count == 1 { try c.encode(aud[0], forKey: ClaimKey("aud")) } else { try c.encode(aud, forKey: ClaimKey("aud")) }
        try c.encode(exp, forKey: ClaimKey("exp"))
        try c.encode(iat, forKey: ClaimKey("iat"))
        try c.encodeIfPresent(authTime, forKey: ClaimKey("auth_time"))
        try c.encodeIfPresent(nbf, forKey: ClaimKey("nbf"))
        try c.encodeIfPresent(nonce, forKey: ClaimKey("nonce"))
        try c.encodeIfPresent(azp, forKey: ClaimKey("azp"))
        try c.encodeIfPresent(atHash, forKey: ClaimKey("at_hash"))
        try c.encodeIfPresent(cHash, forKey: ClaimKey("c_hash"))
        try c.encodeIfPresent(sid, forKey: ClaimKey("sid"))
        for (name, value) in claims where !Self.registered.contains(name) {
            try c.encode(value, forKey: ClaimKey(name))
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ClaimKey.self)
        func missing(_ name: String) -> DecodingError {
            .keyNotFound(ClaimKey(name), .init(codingPath: c.codingPath, debugDescription: "\(name) is required"))
        }
        guard c.contains(ClaimKey("iss")), c.contains(ClaimKey("sub")), c.contains(ClaimKey("aud")) else { throw missing("iss/sub/aud") }
        iss = try c.decode(String.self, forKey: ClaimKey("iss"))
        sub = try c.decode(String.self, forKey: ClaimKey("sub"))
        if let one = try? c.decode(String.self, forKey: ClaimKey("aud")) { aud = [one] } else { aud = try c.decode([String].self, forKey: ClaimKey("aud")) }
        exp = Date(timeIntervalSince1970: TimeInterval(try Self.seconds(c, "exp") ?? { throw missing("exp") }()))
        iat = Date(timeIntervalSince1970: TimeInterval(try Self.seconds(c, "iat") ?? { throw missing("iat") }()))
        authTime = try Self.seconds(c, "auth_time").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        nbf = try Self.seconds(c, "nbf").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        nonce = try c.decodeIfPresent(String.self, forKey: ClaimKey("nonce"))
        azp = try c.decodeIfPresent(String.self, forKey: ClaimKey("azp"))
        atHash = try c.decodeIfPresent(String.self, forKey: ClaimKey("at_hash"))
        cHash = try c.decodeIfPresent(String.self, forKey: ClaimKey("c_hash"))
        sid = try c.decodeIfPresent(String.self, forKey: ClaimKey("sid"))
        var claims = [String: ClaimValue]()
        for key in c.allKeys where !Self.registered.contains(key.stringValue) {
            claims[key.stringValue] = try c.decode(ClaimValue.self, forKey: key)
        }
        self.claims = claims
    }

    static func seconds(_ c: KeyedDecodingContainer<ClaimKey>, _ name: String) throws -> Int? {
        guard c.contains(ClaimKey(name)) else { return nil }
        if let value = try? c.decode(Int.self, forKey: ClaimKey(name)) { return value }
        // A number too large for an Int (1e300) is refused, never trapped on.
        guard let value = Int(exactly: try c.decode(Double.self, forKey: ClaimKey(name)).rounded(.down)) else {
            throw DecodingError.dataCorruptedError(forKey: ClaimKey(name), in: c, debugDescription: "\(name) is out of range")
        }
        return value
    }
}

/// The claims of a `private_key_jwt` client assertion (RFC 7523 §3).
public struct ClientAssertionClaims: JWTPayload {
    public var iss: String
    public var sub: String
    public var aud: AudienceClaim
    public var exp: Date
    public var jti: String?

    public init(iss: String, sub: String, aud: String, exp: Date, jti: String?) {
        self.iss = iss
        self.sub = sub
        self.aud = AudienceClaim(value: aud)
        self.exp = exp
        self.jti = jti
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
