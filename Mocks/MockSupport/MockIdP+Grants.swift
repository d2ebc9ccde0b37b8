import Crypto
import Foundation
import Hummingbird
import IdentityCore
import JWTKit
import OIDC
import StrictYAML
import XMLSecurity

/// The generic provider's grants beyond the code: refresh, an application's own token,
/// the password grant, the device grant's token half (MockIdP+DeviceFlow), JWT bearer
/// assertions and token exchange — and introspection and revocation of what they issue.
extension MockIdentityProvider {
    /// `refresh_token` (RFC 6749 §6): a new access token for the same person and client,
    /// its scope narrowed if asked; with `rotateRefreshTokens` a new refresh token too,
    /// the presented one no longer good.
    func refresh(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        let rotate = profile.rotateRefreshTokens
        // Every check before the token is spent: a refused request (another client's, a
        // wider scope) leaves it good (RFC 6749 §5.2).
        guard let presented = form["refresh_token"], let issued = state.withLock({ $0.refreshTokens[presented] }),
            issued.clientID == client.clientID, issued.issuer == issuer
        else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "unknown, used or another client's or issuer's refresh token")
        }
        guard let scope = narrowed(issued.scope, to: form["scope"]) else {
            return tokenError(observation, status: .badRequest, "invalid_scope", "a refresh cannot widen the scope")
        }
        guard let user = user(named: issued.username) else { return tokenError(observation, status: .badRequest, "invalid_grant", "user gone") }
        if rotate {
            // Spent once: of two refreshes at once, one wins.
            guard state.withLock({ $0.refreshTokens.removeValue(forKey: presented) }) != nil else {
                return tokenError(observation, status: .badRequest, "invalid_grant", "unknown, used or another client's or issuer's refresh token")
            }
        }
        let accessToken = try await issueAccessToken(
            IssuedToken(username: issued.username, issuer: issued.issuer, clientID: client.clientID, extraClaims: issued.extraClaims), subject: user.id,
            scope: scope, resource: Self.audience(form))
        let refreshToken = rotate ? issueRefreshToken(issued) : presented
        return try granted(observation, scope: nil, Self.tokenAnswer(accessToken, scope: scope, ["refresh_token": .string(refreshToken)]))
    }

    /// Whom an access token is for, as the request names it: `resource` (RFC 8707), or
    /// `audience` (RFC 8693); `authorization` is the authorization request's, for a code.
    static func audience(_ form: [String: String], authorization: [String: String] = [:]) -> String? {
        form["resource"] ?? form["audience"] ?? authorization["resource"] ?? authorization["audience"]
    }

    /// `granted` narrowed to the scopes `asked` (all of `granted` when nothing is asked);
    /// nil when `asked` names one not granted — a later grant never widens an earlier one.
    func narrowed(_ granted: String, to asked: String?) -> String? {
        guard let asked else { return granted }
        return Set(asked.split(separator: " ")).isSubset(of: Set(granted.split(separator: " "))) ? asked : nil
    }

    /// `password` (RFC 6749 §4.3), for test and legacy clients: `username` must be a test
    /// user; the password is not checked — this is a mock, whose users have none.
    func password(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        guard let username = form["username"], let user = user(named: username) else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "no test user of that username")
        }
        return try await personTokens(
            user, client: client, issuer: issuer, scope: form["scope"] ?? "openid", form: form,
            extraClaims: extraClaims(form: form, client: client), observation: observation)
    }

    /// The answer of a grant that names a person (password, device, JWT bearer, token
    /// exchange): an access token; an ID token with `openid` (not for token exchange,
    /// whose answer is the one token asked for); a refresh token with `offline_access`.
    func personTokens(
        _ user: IdPProfile.TestUser, client: IdPProfile.Client, issuer: String, scope: String, form: [String: String],
        extraClaims: [String: ClaimValue], actor: String? = nil, idToken wantsIDToken: Bool = true, observation: IdPObservation
    ) async throws -> Response {
        let scopes = scope.split(separator: " ")
        let accessToken = try await issueAccessToken(
            IssuedToken(username: user.username, issuer: issuer, clientID: client.clientID, extraClaims: extraClaims, actor: actor), subject: user.id,
            scope: scope, resource: Self.audience(form))
        var answer = Self.tokenAnswer(accessToken, scope: scope)
        if wantsIDToken, scopes.contains("openid") {
            let request = OAuthRequest(
                issuer: issuer, clientID: client.clientID, redirectURI: "", state: nil, nonce: nil, scope: scope, codeChallenge: nil, codeChallengeMethod: nil)
            answer["id_token"] = .string(try await idToken(for: user, request: request, accessToken: accessToken, extraClaims: extraClaims))
        }
        if wantsIDToken, scopes.contains("offline_access") {
            answer["refresh_token"] = .string(issueRefreshToken(
                IssuedRefreshToken(username: user.username, issuer: issuer, clientID: client.clientID, scope: scope, extraClaims: extraClaims)))
        }
        if !wantsIDToken { answer["issued_token_type"] = .string(TokenType.accessToken) }
        return try granted(observation, scope: scope, person: user.username, answer)
    }

    /// `client_credentials` (RFC 6749 §4.4): a token for the client itself — no person, no
    /// ID token, no refresh token. Only a client with a secret may ask (§4.4: confidential
    /// clients), unless this mock takes any client.
    func clientCredentials(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws
        -> Response
    {
        guard client.clientSecret != nil || acceptsAnyClient else {
            return tokenError(observation, status: .badRequest, "unauthorized_client", "a public client has no credentials of its own")
        }
        let scope = (form["scope"] ?? "").split(separator: " ").filter { $0 != "openid" }.joined(separator: " ")
        let accessToken = try await issueAccessToken(
            IssuedToken(username: nil, issuer: issuer, clientID: client.clientID, extraClaims: extraClaims(form: form, client: client)), subject: nil,
            scope: scope, resource: Self.audience(form))
        return try granted(observation, scope: scope, Self.tokenAnswer(accessToken, scope: scope))
    }

    // MARK: JWT bearer

    /// The JWT bearer grant (RFC 7523 §2.1): an assertion this mock signed — minted at
    /// `POST /_mock/<issuer>/token` — naming a test user (`sub`: username or id), for a
    /// token endpoint or issuer of this issuer (`aud`), unexpired, at most an hour long,
    /// with a `jti` used once. The same checks as the reference server's (one validator);
    /// each refusal is `invalid_grant` saying which check failed.
    func jwtBearer(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        guard let assertion = form["assertion"], !assertion.isEmpty else {
            return tokenError(observation, status: .badRequest, "invalid_request", "assertion is required")
        }
        let claims: BearerAssertionClaims
        do {
            let validator = BearerAssertionValidator(
                issuer: issuer, audiences: [issuer, "\(issuer)/token"], keys: try await verificationKeys(), clock: clock, clockSkew: Self.jwtClockSkew)
            claims = try await validator.validate(assertion)
        } catch {
            return tokenError(observation, status: .badRequest, "invalid_grant", "the assertion was refused: \(Self.reason(error))")
        }
        // An RFC 9068 access token carries iss, aud and jti too: it is not an assertion.
        guard (try? JOSEHeader(token: assertion))?.typ?.lowercased() != "at+jwt" else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "an access token (typ at+jwt) is not an assertion")
        }
        guard let user = testUser(claims.sub) else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "the assertion's sub names no test user")
        }
        // Remembered as long as the validator would still take it: past exp by the skew.
        guard let jti = claims.jti, spend(assertionID: jti, until: claims.exp.addingTimeInterval(Self.jwtClockSkew)) else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "the assertion's jti was used before")
        }
        return try await personTokens(
            user, client: client, issuer: issuer, scope: form["scope"] ?? "openid", form: form,
            extraClaims: extraClaims(form: form, client: client), observation: observation)
    }

    /// How far a JWT's times may be off this mock's clock, at the bearer grant and at
    /// token exchange alike.
    static let jwtClockSkew: TimeInterval = 60

    /// Single use of an assertion (RFC 7523 §3 item 7): its `jti` is remembered until the
    /// assertion can no longer be used — not forgotten by count, which would let an old one
    /// back in. The expired are swept when the table reaches twice what it held after the
    /// last sweep (at least `retained`), so a sweep is rare however many are live. False
    /// when it was used before.
    func spend(assertionID jti: String, until expiry: Date) -> Bool {
        let now = clock.now
        return state.withLock { state in
            if let until = state.usedAssertionIDs[jti], until > now { return false }
            if state.usedAssertionIDs.count >= state.assertionSweepAt {
                state.usedAssertionIDs = state.usedAssertionIDs.filter { $0.value > now }
                state.assertionSweepAt = max(Self.retained, state.usedAssertionIDs.count * 2)
            }
            state.usedAssertionIDs[jti] = expiry
            return true
        }
    }

    /// A refusal's code and detail, for an error_description.
    static func reason(_ error: any Error) -> String {
        (error as? any CodedError).map(\.description) ?? "\(error)"
    }

    /// The keys this mock's tokens verify with now: its JWKS, retired keys in grace included.
    func verificationKeys() async throws(JOSEError) -> VerificationKeySet {
        let published = signingKeys.withLock { $0.published(at: clock.now) }
        return try await VerificationKeySet(jwks: published.json())
    }

    /// The test user `subject` names, by username or id.
    func testUser(_ subject: String) -> IdPProfile.TestUser? {
        state.withLock { $0.users.first { $0.username == subject || $0.id == subject } }
    }

    // MARK: token exchange

    /// Token exchange (RFC 8693 §2): a token this issuer gave — an access or refresh
    /// token, or a JWT it signed (`id_token`, `jwt`) — for an access token for another
    /// audience (`audience` or `resource`), the scope narrowed if asked. With an
    /// `actor_token` the new token says who acts for the subject (`act`, §4.1): delegation
    /// rather than impersonation. The answer names `issued_token_type` and carries no ID
    /// or refresh token.
    func tokenExchange(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        guard let subjectToken = form["subject_token"], let subjectType = form["subject_token_type"] else {
            return tokenError(observation, status: .badRequest, "invalid_request", "subject_token and subject_token_type are required")
        }
        if let requested = form["requested_token_type"], requested != TokenType.accessToken, !(requested == TokenType.jwt && profile.accessTokens == .jwt) {
            return tokenError(observation, status: .badRequest, "invalid_request", "only access tokens are issued by exchange here")
        }
        let subject: ExchangedParty
        var actor: String?
        do {
            subject = try await exchangedParty(subjectToken, type: subjectType, issuer: issuer, clientID: client.clientID, role: "subject_token")
            if let actorToken = form["actor_token"] {
                guard let actorType = form["actor_token_type"] else {
                    return tokenError(observation, status: .badRequest, "invalid_request", "actor_token_type is required with actor_token")
                }
                let party = try await exchangedParty(actorToken, type: actorType, issuer: issuer, clientID: client.clientID, role: "actor_token")
                actor = party.user?.id ?? party.clientID
            } else if form["actor_token_type"] != nil {
                return tokenError(observation, status: .badRequest, "invalid_request", "actor_token_type without actor_token")
            }
        } catch {
            return tokenError(observation, status: .badRequest, error.code, error.detail)
        }
        guard let scope = narrowed(subject.scope, to: form["scope"]) else {
            return tokenError(observation, status: .badRequest, "invalid_scope", "an exchange cannot widen the subject token's scope")
        }
        let extra = subject.extraClaims.merging(extraClaims(form: form, client: client)) { _, mapped in mapped }
        guard let user = subject.user else {
            // An application's own token: the new one names that application, held by the
            // client that asked (which may introspect and revoke it).
            let accessToken = try await issueAccessToken(
                IssuedToken(username: nil, issuer: issuer, clientID: client.clientID, extraClaims: extra, actor: actor, applicationSubject: subject.clientID),
                subject: nil, scope: scope, resource: Self.audience(form))
            return try granted(observation, scope: scope, Self.tokenAnswer(accessToken, scope: scope, ["issued_token_type": .string(TokenType.accessToken)]))
        }
        return try await personTokens(
            user, client: client, issuer: issuer, scope: scope, form: form, extraClaims: extra, actor: actor, idToken: false, observation: observation)
    }

    /// Whom a token presented for exchange names.
    struct ExchangedParty {
        var user: IdPProfile.TestUser?
        var clientID: String
        /// The scope it carries: an OAuth token's, a JWT's `scope` claim, else only `openid`
        /// (an ID token says who someone is, and grants nothing more).
        var scope: String
        var extraClaims: [String: ClaimValue] = [:]
    }

    /// Why a subject or actor token is refused: `invalid_request`, as RFC 8693 §2.2.2
    /// requires for a token that is invalid or unacceptable.
    struct ExchangeRefusal: Error {
        var code: String
        var detail: String
    }

    /// Reads a subject or actor token of `type`: one of this issuer's live access or
    /// refresh tokens, or a JWT signed with this mock's keys for this issuer.
    func exchangedParty(_ token: String, type: String, issuer: String, clientID: String, role: String) async throws(ExchangeRefusal) -> ExchangedParty {
        let now = clock.now
        switch type {
        case TokenType.accessToken:
            guard let access = state.withLock({ $0.accessTokens[token] }), access.issuer == issuer, access.expiresAt > now else {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) is not a live access token of this issuer")
            }
            return ExchangedParty(user: access.username.flatMap(user(named:)), clientID: access.clientID, scope: access.scope, extraClaims: access.extraClaims)
        case TokenType.refreshToken:
            // A refresh token is its client's alone (RFC 6749 §6), as at the refresh grant.
            guard let refresh = state.withLock({ $0.refreshTokens[token] }), refresh.issuer == issuer, refresh.clientID == clientID,
                let user = user(named: refresh.username)
            else {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) is not a refresh token of this issuer and client")
            }
            return ExchangedParty(user: user, clientID: refresh.clientID, scope: refresh.scope, extraClaims: refresh.extraClaims)
        case TokenType.idToken, TokenType.jwt:
            let claims: MockJWTClaims
            do {
                (claims, _) = try await verificationKeys().verify(token, as: MockJWTClaims.self)
            } catch {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) does not verify with this issuer's keys: \(Self.reason(error))")
            }
            guard claims.claims["iss"]?.string == issuer else {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) was issued by another issuer")
            }
            let skewed = now.timeIntervalSince1970 - Self.jwtClockSkew
            guard case .number(let exp)? = claims.claims["exp"], Double(exp) > skewed else {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) has expired")
            }
            if case .number(let nbf)? = claims.claims["nbf"], Double(nbf) > now.timeIntervalSince1970 + Self.jwtClockSkew {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role) is not valid yet")
            }
            guard let sub = claims.claims["sub"]?.string, let user = testUser(sub) else {
                throw ExchangeRefusal(code: "invalid_request", detail: "\(role)'s sub names no test user")
            }
            return ExchangedParty(user: user, clientID: claims.claims["azp"]?.string ?? "", scope: claims.claims["scope"]?.string ?? "openid")
        default:
            throw ExchangeRefusal(code: "invalid_request", detail: "\(role)_type \(type) is not one this mock takes")
        }
    }

    // MARK: introspection and revocation
    /// Introspection (RFC 7662) and revocation (RFC 7009) for an authenticated client, of its
    /// own tokens only: another client's token is inactive to it, and not revoked by it.
    func tokenManagement(_ action: String, _ request: Request, form: [String: String], issuer: String) async throws -> Response {
        var observation = IdPObservation(action: action)
        let (authenticated, method) = authenticateClient(request, form: form)
        guard let client = authenticated else {
            observation.clientAuthentication = method
            return tokenError(observation, status: .unauthorized, "invalid_client", "client authentication failed")
        }
        guard let presented = form["token"], !presented.isEmpty else {
            return tokenError(observation, status: .badRequest, "invalid_request", "token is required")
        }
        let now = clock.now
        // Only this issuer's, unexpired tokens are anyone's here.
        let (access, refresh) = state.withLock { state in
            (state.accessTokens[presented].flatMap { $0.issuer == issuer && $0.expiresAt > now ? $0 : nil },
             state.refreshTokens[presented].flatMap { $0.issuer == issuer ? $0 : nil })
        }
        let owner = access?.clientID ?? refresh?.clientID
        observation.clientID = client.clientID
        observation.status = 200
        if action == "revoke" {
            if owner == client.clientID {
                state.withLock { state in
                    state.accessTokens[presented] = nil
                    state.refreshTokens[presented] = nil
                }
            }
            record(observation)
            return Response(status: .ok)
        }
        observation.outcome = owner == client.clientID ? "active" : "inactive"
        record(observation)
        guard owner == client.clientID else { return try MockHTTP.json(["active": ClaimValue.bool(false)]) }
        var answer: [String: ClaimValue] = ["active": .bool(true), "client_id": .string(client.clientID)]
        if let access {
            answer["token_type"] = .string("Bearer")
            answer["exp"] = .number(Int(access.expiresAt.timeIntervalSince1970))
            answer["iat"] = .number(Int(access.issuedAt.timeIntervalSince1970))
            if !access.scope.isEmpty { answer["scope"] = .string(access.scope) }
            answer["iss"] = .string(access.issuer)
            if let username = access.username, let user = user(named: username) {
                answer["sub"] = .string(user.id)
                answer["username"] = .string(username)
            } else {
                answer["sub"] = .string(access.applicationSubject ?? access.clientID)
            }
            if let actor = access.actor { answer["act"] = .object(["sub": .string(actor)]) }
            answer = answer.merging(access.extraClaims.filter { !registeredJWTClaims.contains($0.key) }) { standard, _ in standard }
        } else if let refresh {
            answer["scope"] = .string(refresh.scope)
            answer["iss"] = .string(refresh.issuer)
            answer["username"] = .string(refresh.username)
            if let user = user(named: refresh.username) { answer["sub"] = .string(user.id) }
        }
        return try MockHTTP.json(answer)
    }
}
