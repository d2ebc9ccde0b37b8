public import Foundation
public import JWTKit

/// A logout token (OpenID Connect Back-Channel Logout 1.0 §2.4): a JWT like an ID token,
/// typed `logout+jwt`, with the back-channel logout event, `sid` and/or `sub`, and never a
/// `nonce` — so no ID token can pass for one, nor one for an ID token.
public struct LogoutTokenClaims: JWTPayload, Equatable {
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    public static let type = "logout+jwt"

    public var iss: String
    public var aud: [String]
    public var iat: Date
    public var exp: Date
    public var jti: String
    public var sub: String?
    public var sid: String?
    /// `{"http://schemas.openid.net/event/backchannel-logout": {}}` in a valid token.
    public var events: [String: [String: String]]
    /// Present only in a forged or mistaken token: it must be refused (§2.6 step 5).
    public var nonce: String?

    public init(iss: String, aud: [String], iat: Date, exp: Date, jti: String, sub: String?, sid: String?) {
        self.iss = iss
        self.aud = aud
        self.iat = iat
        self.exp = exp
        self.jti = jti
        self.sub = sub
        self.sid = sid
        self.events = [Self.event: [:]]
        self.nonce = nil
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    enum CodingKeys: String, CodingKey { case iss, aud, iat, exp, jti, sub, sid, events, nonce }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(iss, forKey: .iss)
        if aud.count == 1 { try c.encode(aud[0], forKey: .aud) } else { try c.encode(aud, forKey: .aud) }
        try c.encode(Int(iat.timeIntervalSince1970), forKey: .iat)
        try c.encode(Int(exp.timeIntervalSince1970), forKey: .exp)
        try c.encode(jti, forKey: .jti)
        try c.encodeIfPresent(sub, forKey: .sub)
        try c.encodeIfPresent(sid, forKey: .sid)
        try c.encode(events, forKey: .events)
        try c.encodeIfPresent(nonce, forKey: .nonce)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try c.decode(String.self, forKey: .iss)
        if let one = try? c.decode(String.self, forKey: .aud) { aud = [one] } else { aud = try c.decode([String].self, forKey: .aud) }
        iat = Date(timeIntervalSince1970: try c.decode(Double.self, forKey: .iat))
        exp = Date(timeIntervalSince1970: try c.decode(Double.self, forKey: .exp))
        jti = try c.decode(String.self, forKey: .jti)
        sub = try c.decodeIfPresent(String.self, forKey: .sub)
        sid = try c.decodeIfPresent(String.self, forKey: .sid)
        events = try c.decodeIfPresent([String: [String: String]].self, forKey: .events) ?? [:]
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
    }
}
