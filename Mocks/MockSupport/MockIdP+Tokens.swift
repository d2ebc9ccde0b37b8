import Crypto
import Foundation
import Hummingbird
import IdentityCore
import JWTKit
import OIDC
import StrictYAML
import XMLSecurity

/// A pending OAuth authorization request, between the authorize endpoint and the login.
struct OAuthRequest: Sendable {
    var issuer: String
    var clientID: String
    var redirectURI: String
    var state: String?
    var nonce: String?
    var scope: String
    var codeChallenge: String?
    var codeChallengeMethod: String?
    /// Every parameter of the request, for the profile's request mappings.
    var parameters: [String: String] = [:]
}

struct IssuedCode: Sendable {
    var request: OAuthRequest
    var username: String
    /// Claims typed in at the login page, added to this login's tokens.
    var extraClaims: [String: ClaimValue] = [:]
    /// Ten minutes after issue, as RFC 6749 §4.1.2 recommends at most.
    var expiresAt = Date.distantFuture
}

struct IssuedToken: Sendable {
    /// The person; nil for an application's own token (client_credentials).
    var username: String?
    var issuer: String
    var clientID: String
    var scope = ""
    /// Set when issued: after it the token opens nothing and introspects inactive.
    var expiresAt = Date.distantFuture
    var issuedAt = Date.distantPast
    /// Claims from the login page and the request mappings, shown by userinfo and
    /// introspection over the person's own.
    var extraClaims: [String: ClaimValue] = [:]
    /// Token exchange with an actor (RFC 8693 §4.1): who acts for the subject.
    var actor: String? = nil
    /// The `sub` of a token that names no person: the application it is for, when that is
    /// not the client holding it (an exchanged application token). nil: the client.
    var applicationSubject: String? = nil
}

/// A refresh token of the generic OIDC kind: whose, for which client, with what scope.
struct IssuedRefreshToken: Sendable {
    var username: String
    var issuer: String
    var clientID: String
    var scope: String
    var extraClaims: [String: ClaimValue] = [:]
}

/// Claims as a JWT payload: a mock writes whatever it likes, including what a faulty IdP
/// would (no `sub`, a stale `exp`).
struct MockJWTClaims: JWTPayload {
    var claims: [String: ClaimValue]
    func verify(using algorithm: some JWTAlgorithm) async throws {}
    init(_ claims: [String: ClaimValue]) { self.claims = claims }
    init(from decoder: any Decoder) throws { claims = try [String: ClaimValue](from: decoder) }
    func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
}

/// What the OAuth kinds issue: access and refresh tokens, kept so they can be looked up,
/// and ID tokens, with the faults in force applied.
extension MockIdentityProvider {
    /// An access token, opaque or (profile `accessTokens: jwt`) an RFC 9068 JWT, kept so
    /// userinfo (and the API mock's callers) can look it up. `subject`: the person's id,
    /// or nil for an application's own token (its client ID is the subject).
    func issueAccessToken(_ token: IssuedToken, subject: String?, scope: String, resource: String? = nil) async throws -> String {
        let value: String
        switch profile.accessTokens {
        case .opaque:
            value = random.token()
        case .jwt:
            let now = Int(clock.now.timeIntervalSince1970)
            var claims = Self.adding(token.extraClaims, to: [:])
            claims.merge([
                // RFC 9068 §3: aud names the resource server — the `resource` asked for (RFC
                // 8707), else the client itself, as a mock with no registry of APIs can.
                "iss": .string(token.issuer), "sub": .string(subject ?? token.applicationSubject ?? token.clientID), "aud": .string(resource ?? token.clientID),
                "client_id": .string(token.clientID), "scope": .string(scope), "iat": .number(now), "exp": .number(now + Self.accessTokenSeconds),
                "jti": .string(random.token()),
            ]) { _, registered in registered }
            if let actor = token.actor { claims["act"] = .object(["sub": .string(actor)]) }
            value = try await tokenKeys.sign(MockJWTClaims(claims), algorithm: "RS256", typ: "at+jwt")
        }
        var kept = token
        kept.scope = scope
        kept.issuedAt = clock.now
        kept.expiresAt = clock.now.addingTimeInterval(TimeInterval(Self.accessTokenSeconds))
        state.withLock { [kept] state in Self.remember(kept, as: value, in: &state.accessTokens, order: &state.accessTokenOrder) }
        return value
    }

    func issueRefreshToken(_ token: IssuedRefreshToken) -> String {
        let value = random.token()
        state.withLock { state in Self.remember(token, as: value, in: &state.refreshTokens, order: &state.refreshTokenOrder) }
        return value
    }

    /// How long an access token lives: an hour, less the second it took to issue.
    static let accessTokenSeconds = 3599

    /// A token endpoint's success (RFC 6749 §5.1): the access token, `Bearer`, its lifetime,
    /// the scope when there is one, and `more` members (an ID or refresh token…).
    static func tokenAnswer(_ accessToken: String, scope: String?, _ more: [String: ClaimValue] = [:]) -> [String: ClaimValue] {
        var answer: [String: ClaimValue] = [
            "access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(accessTokenSeconds),
        ]
        if let scope, !scope.isEmpty { answer["scope"] = .string(scope) }
        return answer.merging(more) { _, added in added }
    }

    /// Records a grant's success and sends its answer.
    func granted(_ observation: IdPObservation, scope: String?, person: String? = nil, _ answer: [String: ClaimValue]) throws -> Response {
        var recorded = observation
        recorded.status = 200
        recorded.scope = scope
        if let person { recorded.outcome = "user:\(person)" }
        record(recorded)
        return try MockHTTP.json(answer)
    }

    /// Keeps an issued token, bounded as observations are: a long-running mock forgets the
    /// oldest tenth past `retained`.
    static func remember<Value>(_ value: Value, as key: String, in table: inout [String: Value], order: inout [String]) {
        if table.updateValue(value, forKey: key) == nil { order.append(key) }
        guard order.count > retained else { return }
        let forgotten = order.prefix(retained / 10)
        for key in forgotten { table.removeValue(forKey: key) }
        order.removeFirst(forgotten.count)
    }

    /// `extra` claims (a login page's JSON, the request mappings) over `claims`, the
    /// registered ones excepted: only the issuer sets those.
    static func adding(_ extra: [String: ClaimValue], to claims: [String: ClaimValue]) -> [String: ClaimValue] {
        claims.merging(extra.filter { !registeredJWTClaims.contains($0.key) }) { _, new in new }
    }

    /// The claims a token request adds: the request mappings' for its parameters — the
    /// token request's over the authorization request's, and `client_id` however the client
    /// authenticated — under those typed in at the login page, which are the person's.
    func extraClaims(
        login: [String: ClaimValue] = [:], form: [String: String], client: IdPProfile.Client, authorization: [String: String] = [:]
    ) -> [String: ClaimValue] {
        var parameters = authorization.merging(form) { _, token in token }
        parameters["client_id"] = client.clientID
        return profile.requestMappings.claims(for: parameters).merging(login) { _, typed in typed }
    }

    // MARK: ID token

    /// The ID token for `user`, with the faults in force applied to it.
    func idToken(
        for user: IdPProfile.TestUser, request: OAuthRequest, accessToken: String, extraClaims: [String: ClaimValue] = [:]
    ) async throws -> String {
        let faults = self.faults
        var claims = Self.adding(extraClaims, to: userClaims(user))
        if let nonce = request.nonce { claims["nonce"] = .string(faults.contains(.badNonce) ? "not-\(nonce)" : nonce) }
        claims["at_hash"] = .string(TokenHash.leftHalf(accessToken))
        switch profile.kind {
        case .google: claims["azp"] = .string(request.clientID)
        case .microsoft:
            claims["ver"] = .string("2.0")
            claims["tid"] = .string(profile.tenantID)
        default: break
        }
        return try await faultedJWT(
            claims, issuer: request.issuer, subject: user.id, audience: request.clientID, lifetime: profile.validitySeconds, faults: faults)
    }

    /// `claims` with the registered ones set — `iss`, `sub`, `aud`, `iat`, `exp` (and `nbf`)
    /// — and signed, every JWT fault in force applied: the time ones, `wrong-issuer`,
    /// `wrong-audience`, `missing-user-id`, and `unsigned` or `unknown-key` for the signature.
    /// ID tokens and minted tokens are made here alike.
    func faultedJWT(
        _ claims: [String: ClaimValue], issuer: String, subject: String, audience: String, lifetime: Int, faults: Set<IdPFault>,
        typ: String = "JWT"
    ) async throws -> String {
        var claims = claims
        let now = Int(faultedNow(faults).timeIntervalSince1970)
        claims["iss"] = .string(faults.contains(.wrongIssuer) ? "https://evil.example/issuer" : issuer)
        claims["sub"] = faults.contains(.missingUserID) ? nil : .string(subject)
        claims["aud"] = .string(faults.contains(.wrongAudience) ? "someone-else" : audience)
        claims["iat"] = .number(now)
        claims["exp"] = .number(now + lifetime)
        if faults.contains(.notYetValid) { claims["nbf"] = .number(now) }
        if faults.contains(.unsigned) { return try forgedTokenKeys.unsigned(claims) }
        if faults.contains(.unknownKey) {
            guard case .rsa(let attacker) = try samlForgery.key else {
                throw MockError(.mockProfileInvalid, field: "forgery", detail: "a mock IdP's attacker key is an RSA key")
            }
            return try await forgedTokenKeys.sign(MockJWTClaims(claims), with: attacker)
        }
        return try await tokenKeys.sign(MockJWTClaims(claims), algorithm: "RS256", typ: typ)
    }

    /// The JWT catalogue's context with this IdP's keys: the trusted RSA key under its
    /// published kid, the forgery as the attacker. The EC key is a fresh one nobody
    /// publishes (this IdP signs RS256 only).
    func jwtContext() throws -> JWTAttackCatalogue.Context {
        guard case .rsa(let key) = samlSigning.key, case .rsa(let attacker) = try samlForgery.key else {
            throw MockError(.mockProfileInvalid, field: "signing", detail: "a mock IdP signs with RSA keys")
        }
        var context = JWTAttackCatalogue.Context(key: key, ecKey: P256.Signing.PrivateKey().publicKey, attacker: attacker)
        context.kid = forgedTokenKeys.kid
        return context
    }

    /// A catalogue entry built for this flow (issuer, client, nonce, access token, time,
    /// person) in place of the genuine ID token.
    func liveAttack(_ name: String, request: OAuthRequest, user: IdPProfile.TestUser, accessToken: String) throws -> String {
        var live = try jwtContext()
        live.issuer = request.issuer
        live.clientID = request.clientID
        live.nonce = request.nonce ?? ""
        live.accessToken = accessToken
        live.now = clock.now
        live.subject = user.id
        guard let entry = try JWTAttackCatalogue(live).entry(named: name) else {
            throw MockError(.mockBadOption, field: "attack", value: name, detail: "no such JWT attack")
        }
        return entry.token
    }

    /// A test user's claims as JSON values (booleans and numbers as the profile wrote them).
    func userClaims(_ user: IdPProfile.TestUser) -> [String: ClaimValue] {
        Self.claims(user.claims)
    }
}
