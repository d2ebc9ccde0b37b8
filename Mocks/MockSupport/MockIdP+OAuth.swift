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
}

struct IssuedCode: Sendable {
    var request: OAuthRequest
    var username: String
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
}

/// A refresh token of the generic OIDC kind: whose, for which client, with what scope.
struct IssuedRefreshToken: Sendable {
    var username: String
    var issuer: String
    var clientID: String
    var scope: String
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

/// The OAuth 2.0 kinds: a generic OpenID provider (many issuers, one per first path
/// segment), and providers shaped like Google, Microsoft, Facebook and GitHub — each
/// with its real endpoint paths and answer shapes, so a connector written against the
/// mock meets what it will meet in production.
extension MockIdentityProvider {
    struct Endpoints {
        var authorize: String
        var token: String
        var userinfo: String
        var jwks: String?
        var discovery: String?
        /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
        var endSession: String?
        /// Token introspection (RFC 7662) and revocation (RFC 7009): the generic kind.
        var introspection: String? = nil
        var revocation: String? = nil
    }

    /// Route patterns per kind (`:issuer`, `:tenant`, `:version` are path parameters).
    var endpoints: Endpoints {
        switch profile.kind {
        case .oidc:
            Endpoints(
                authorize: ":issuer/authorize", token: ":issuer/token", userinfo: ":issuer/userinfo", jwks: ":issuer/jwks",
                discovery: ":issuer/.well-known/openid-configuration", endSession: ":issuer/logout", introspection: ":issuer/introspect",
                revocation: ":issuer/revoke")
        case .google:
            Endpoints(
                authorize: "o/oauth2/v2/auth", token: "token", userinfo: "v1/userinfo", jwks: "oauth2/v3/certs",
                discovery: ".well-known/openid-configuration")
        case .microsoft:
            Endpoints(
                authorize: ":tenant/oauth2/v2.0/authorize", token: ":tenant/oauth2/v2.0/token", userinfo: "oidc/userinfo",
                jwks: ":tenant/discovery/v2.0/keys", discovery: ":tenant/v2.0/.well-known/openid-configuration",
                endSession: ":tenant/oauth2/v2.0/logout")
        case .facebook:
            Endpoints(authorize: ":version/dialog/oauth", token: ":version/oauth/access_token", userinfo: ":version/me")
        case .github:
            Endpoints(authorize: "login/oauth/authorize", token: "login/oauth/access_token", userinfo: "user")
        case .saml:
            Endpoints(authorize: "", token: "", userinfo: "")
        }
    }

    /// The issuer a request to this path speaks for.
    func issuer(_ context: BasicRequestContext) -> String {
        switch profile.kind {
        case .oidc: "\(baseURL)/\(context.parameters.get("issuer") ?? profile.issuerName)"
        case .microsoft: "\(baseURL)/\(profile.tenantID)/v2.0"
        default: baseURL
        }
    }

    func addOAuthRoutes(to router: Router<BasicRequestContext>) {
        let e = endpoints
        router.get(RouterPath(e.authorize)) { request, context in try await self.authorize(Self.query(request), issuer: self.issuer(context)) }
        if profile.kind == .facebook {
            router.get(RouterPath(e.token)) { request, context in
                try await self.backChannel { try await self.token(request, form: Self.query(request), issuer: self.issuer(context)) }
            }
        } else {
            router.post(RouterPath(e.token)) { request, context in
                var request = request
                let body = try await request.collectBody(upTo: 64 * 1024)
                let form = Dictionary(URLEncoding.pairs(String(buffer: body)).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                return try await self.backChannel { try await self.token(request, form: form, issuer: self.issuer(context)) }
            }
        }
        router.get(RouterPath(e.userinfo)) { request, _ in try await self.backChannel { try await self.userinfo(request) } }
        if profile.kind == .github {
            router.get("user/emails") { request, _ in try await self.backChannel { try await self.githubEmails(request) } }
        }
        if let jwks = e.jwks {
            router.get(RouterPath(jwks)) { _, _ in
                try await self.backChannel {
                    self.record(IdPObservation(action: "jwks"))
                    return try MockHTTP.json(self.signingKeys.withLock { $0.published(at: self.clock.now) })
                }
            }
        }
        for (pattern, action) in [(e.introspection, "introspect"), (e.revocation, "revoke")] {
            guard let pattern else { continue }
            router.post(RouterPath(pattern)) { request, context in
                var request = request
                let body = try await request.collectBody(upTo: 64 * 1024)
                let form = Dictionary(URLEncoding.pairs(String(buffer: body)).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                return try await self.backChannel { try await self.tokenManagement(action, request, form: form, issuer: self.issuer(context)) }
            }
        }
        if let endSession = e.endSession {
            router.get(RouterPath(endSession)) { request, _ in try self.endSession(Self.query(request)) }
        }
        if let discovery = e.discovery {
            router.get(RouterPath(discovery)) { _, context in
                self.record(IdPObservation(action: "discovery"))
                return try MockHTTP.json(self.discoveryDocument(issuer: self.issuer(context), context: context))
            }
        }
    }

    /// How long `stall` keeps a back-channel caller waiting, and how long `slow-body`
    /// takes over its answer: longer than any sensible client timeout (the reference
    /// server's default is 10 s). A stopped mock cancels the wait.
    static let stallSeconds = 60

    /// The back-channel faults, around a token, userinfo or JWKS answer: `stall` answers
    /// nothing until `stallSeconds` have passed; `slow-body` sends the head at once and
    /// then the body a byte a second.
    func backChannel(_ answer: () async throws -> Response) async throws -> Response {
        let faults = self.faults
        if faults.contains(.stall) {
            try await Task.sleep(for: .seconds(Self.stallSeconds))
        }
        let response = try await answer()
        guard faults.contains(.slowBody) else { return response }
        var headers = response.headers
        headers[.contentLength] = nil
        let original = response.body
        return Response(status: response.status, headers: headers, body: ResponseBody { writer in try await original.write(DrippingWriter(parent: writer)) })
    }

    func discoveryDocument(issuer: String, context: BasicRequestContext) -> [String: ClaimValue] {
        func url(_ pattern: String?) -> ClaimValue {
            guard let pattern else { return .string("") }
            let path = pattern.split(separator: "/").map { part in
                switch part {
                case ":issuer": context.parameters.get("issuer") ?? profile.issuerName
                case ":tenant": context.parameters.get("tenant") ?? profile.tenantID
                default: String(part)
                }
            }.joined(separator: "/")
            return .string("\(baseURL)/\(path)")
        }
        let e = endpoints
        var document: [String: ClaimValue] = [
            "issuer": .string(issuer), "authorization_endpoint": url(e.authorize), "token_endpoint": url(e.token),
            "userinfo_endpoint": url(e.userinfo), "jwks_uri": url(e.jwks),
            "response_types_supported": .array([.string("code")]), "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string("RS256")]),
            "scopes_supported": .array(["openid", "email", "profile"].map(ClaimValue.string)),
            "token_endpoint_auth_methods_supported": .array(["client_secret_basic", "client_secret_post"].map(ClaimValue.string)),
            "code_challenge_methods_supported": .array(["plain", "S256"].map(ClaimValue.string)),
        ]
        if profile.kind == .oidc {
            document["grant_types_supported"] = .array(["authorization_code", "refresh_token", "client_credentials", "password"].map(ClaimValue.string))
        }
        if e.endSession != nil { document["end_session_endpoint"] = url(e.endSession) }
        if e.introspection != nil { document["introspection_endpoint"] = url(e.introspection) }
        if e.revocation != nil { document["revocation_endpoint"] = url(e.revocation) }
        return document
    }

    // MARK: end session

    /// RP-initiated logout (RP-Initiated Logout 1.0 §2–3): the person is logged out here
    /// (the mock keeps no session: it records the request) and sent back to the client's
    /// `post_logout_redirect_uri` with its `state` — only to one the client registered,
    /// else an error page, as the specification requires.
    func endSession(_ query: [String: String]) throws -> Response {
        var observation = IdPObservation(action: "end_session")
        observation.clientID = query["client_id"]
        observation.redirectURI = query["post_logout_redirect_uri"]
        observation.statePresent = query["state"] != nil
        observation.idTokenHintMatched = query["id_token_hint"].map { hint in state.withLock { $0.lastIDToken } == hint } ?? false
        guard let client = profile.clients.first(where: { $0.clientID == query["client_id"] }) else {
            observation.error = "invalid_client"
            record(observation)
            return Self.errorPage("unknown client_id")
        }
        guard let target = query["post_logout_redirect_uri"] else {
            record(observation)
            return MockHTTP.page("idp-logged-out", title: "mock IdP", "<p>Logged out.</p>")
        }
        guard try client.postLogoutRedirectURIs.map(resolve).contains(target) else {
            observation.error = "invalid_post_logout_redirect_uri"
            record(observation)
            return Self.errorPage("post_logout_redirect_uri is not registered for this client")
        }
        record(observation)
        var location = target
        if let state = query["state"] { location += (target.contains("?") ? "&" : "?") + URLEncoding.query([("state", state)]) }
        return Response(status: .found, headers: [.location: location])
    }

    // MARK: authorize

    func authorize(_ query: [String: String], issuer: String) async throws -> Response {
        var observation = IdPObservation(action: "authorize")
        observation.clientID = query["client_id"]
        observation.redirectURI = query["redirect_uri"]
        observation.scope = query["scope"]
        observation.responseType = query["response_type"]
        observation.statePresent = query["state"] != nil
        observation.noncePresent = query["nonce"] != nil
        observation.codeChallengeMethod = query["code_challenge"] == nil ? nil : (query["code_challenge_method"] ?? "plain")
        // A bad client or redirect URI is never redirected to (RFC 6749 §4.1.2.1).
        guard let clientID = query["client_id"], let client = profile.clients.first(where: { $0.clientID == clientID }) else {
            observation.error = "unknown_client"
            record(observation)
            return Self.errorPage("unknown client_id")
        }
        guard let redirectURI = query["redirect_uri"], try client.redirectURIs.map(resolve).contains(redirectURI) else {
            observation.error = "redirect_uri_mismatch"
            record(observation)
            return Self.errorPage("redirect_uri is not registered for this client")
        }
        // Facebook and GitHub default to the code flow; the others must say so.
        if ![.facebook, .github].contains(profile.kind), query["response_type"] != "code" {
            observation.error = "unsupported_response_type"
            record(observation)
            return oauthRedirect(redirectURI, [("error", "unsupported_response_type"), ("state", query["state"])])
        }
        record(observation)
        let request = OAuthRequest(
            issuer: issuer, clientID: clientID, redirectURI: redirectURI, state: query["state"], nonce: query["nonce"],
            scope: query["scope"] ?? "", codeChallenge: query["code_challenge"], codeChallengeMethod: query["code_challenge_method"])
        // Headless login for scripts: a login_hint naming a test user skips the page, and
        // so does autoLogin, for a client that cannot send one.
        if let user = query["login_hint"].flatMap(user(named:)) ?? autoLoginUser {
            return try await finishAuthorization(request, user: user)
        }
        let id = random.token()
        state.withLock { $0.pending[id] = .oauth(request) }
        return loginPage(pendingID: id, client: clientID)
    }

    func finishAuthorization(_ request: OAuthRequest, user: IdPProfile.TestUser?) async throws -> Response {
        var observation = IdPObservation(action: "login")
        guard let user, !faults.contains(.errorResponse) else {
            observation.outcome = user == nil ? "denied" : "error-response"
            record(observation)
            return oauthRedirect(request.redirectURI, deniedParameters(state: request.state))
        }
        observation.outcome = "user:\(user.username)"
        record(observation)
        let code = random.token()
        state.withLock { $0.codes[code] = IssuedCode(request: request, username: user.username) }
        let returned = faults.contains(.wrongState) ? request.state.map { "not-\($0)" } ?? "not-your-state" : request.state
        return oauthRedirect(request.redirectURI, [("code", code), ("state", returned)])
    }

    /// The user said no (or the `error-response` fault), in each provider's words.
    func deniedParameters(state: String?) -> [(String, String?)] {
        switch profile.kind {
        case .facebook:
            [("error", "access_denied"), ("error_code", "200"), ("error_description", "Permissions error"), ("error_reason", "user_denied"),
             ("state", state)]
        case .github:
            [("error", "access_denied"), ("error_description", "The user has denied your application access."), ("state", state)]
        default:
            [("error", "access_denied"), ("state", state)]
        }
    }

    func oauthRedirect(_ uri: String, _ parameters: [(String, String?)]) -> Response {
        let query = URLEncoding.query(parameters.compactMap { name, value in value.map { (name, $0) } })
        // Facebook appends an empty fragment to its redirects.
        let fragment = profile.kind == .facebook ? "#_=_" : ""
        return Response(status: .found, headers: [.location: uri + (uri.contains("?") ? "&" : "?") + query + fragment])
    }

    // MARK: token

    func token(_ request: Request, form: [String: String], issuer: String) async throws -> Response {
        var observation = IdPObservation(action: "token")
        observation.grantType = form["grant_type"]
        observation.codeVerifierPresent = form["code_verifier"] != nil
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers[.authorization], let basic = BasicCredentials(authorization: header)?.formDecoded {
            clientID = basic.username
            secret = basic.password
            observation.clientAuthentication = "client_secret_basic"
        } else if secret != nil {
            observation.clientAuthentication = profile.kind == .facebook ? "query" : "client_secret_post"
        }
        guard let client = profile.clients.first(where: { $0.clientID == clientID }),
            let secret, ConstantTime.equals(secret, client.clientSecret)
        else {
            return tokenError(observation, status: .unauthorized, "invalid_client", "client authentication failed")
        }
        if profile.kind == .oidc {
            switch form["grant_type"] {
            case "authorization_code": break
            case "refresh_token": return try await refresh(form, client: client, issuer: issuer, observation: observation)
            case "client_credentials": return try await clientCredentials(form, client: client, issuer: issuer, observation: observation)
            case "password": return try await password(form, client: client, issuer: issuer, observation: observation)
            default:
                return tokenError(
                    observation, status: .badRequest, "unsupported_grant_type", "authorization_code, refresh_token, client_credentials or password")
            }
        } else if ![.facebook, .github].contains(profile.kind), form["grant_type"] != "authorization_code" {
            return tokenError(observation, status: .badRequest, "unsupported_grant_type", "only authorization_code")
        }
        let reusable = faults.contains(.reusableCodes)
        guard let code = form["code"], let issued = state.withLock({ reusable ? $0.codes[code] : $0.codes.removeValue(forKey: code) }),
            issued.request.clientID == client.clientID
        else {
            return tokenError(observation, status: .badRequest, profile.kind == .github ? "bad_verification_code" : "invalid_grant", "unknown or used code")
        }
        guard form["redirect_uri"] == issued.request.redirectURI else {
            return tokenError(observation, status: .badRequest, profile.kind == .github ? "redirect_uri_mismatch" : "invalid_grant", "redirect_uri differs")
        }
        if let challenge = issued.request.codeChallenge {
            guard let verifier = form["code_verifier"],
                PKCE.verify(verifier: verifier, challenge: challenge, method: issued.request.codeChallengeMethod ?? "plain")
            else {
                return tokenError(observation, status: .badRequest, "invalid_grant", "PKCE verification failed")
            }
        }
        let person = user(named: issued.username)
        if ![.facebook, .github].contains(profile.kind), person == nil {
            return tokenError(observation, status: .badRequest, "invalid_grant", "user gone")
        }
        let accessToken = try await issueAccessToken(
            IssuedToken(username: issued.username, issuer: issued.request.issuer, clientID: client.clientID), subject: person?.id,
            scope: issued.request.scope)
        // The ID token is built before the exchange is recorded: an observation says 200
        // only for an answer that is really sent (the app runner counts on it).
        var idToken = ""
        if ![.facebook, .github].contains(profile.kind) {
            guard let user = user(named: issued.username) else { return tokenError(observation, status: .badRequest, "invalid_grant", "user gone") }
            idToken = try await self.idToken(for: user, request: issued.request, accessToken: accessToken)
            if faults.contains(.replay), let last = state.withLock({ $0.lastIDToken }) {
                idToken = last
            } else if let attack = state.withLock({ $0.attack }) {
                idToken = try liveAttack(attack, request: issued.request, user: user, accessToken: accessToken)
            }
            state.withLock { [idToken] in $0.lastIDToken = idToken }
        }
        observation.status = 200
        record(observation)
        switch profile.kind {
        case .facebook:
            return try MockHTTP.json(["access_token": ClaimValue.string(accessToken), "token_type": .string("bearer"), "expires_in": .number(5_183_944)])
        case .github:
            let fields = [("access_token", accessToken), ("scope", issued.request.scope.replacingOccurrences(of: " ", with: ",")), ("token_type", "bearer")]
            if request.headers[.accept]?.contains("application/json") == true {
                return try MockHTTP.json(Dictionary(uniqueKeysWithValues: fields))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: URLEncoding.query(fields))))
        default:
            var answer: [String: ClaimValue] = [
                "access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(3599),
                "scope": .string(issued.request.scope), "id_token": .string(idToken),
            ]
            // OIDC Core §11: a refresh token when the client asked for offline access.
            if profile.kind == .oidc, issued.request.scope.split(separator: " ").contains("offline_access") {
                answer["refresh_token"] = .string(issueRefreshToken(
                    IssuedRefreshToken(username: issued.username, issuer: issued.request.issuer, clientID: client.clientID, scope: issued.request.scope)))
            }
            return try MockHTTP.json(answer)
        }
    }

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
            let claims: [String: ClaimValue] = [
                // RFC 9068 §3: aud names the resource server — the `resource` asked for (RFC
                // 8707), else the client itself, as a mock with no registry of APIs can.
                "iss": .string(token.issuer), "sub": .string(subject ?? token.clientID), "aud": .string(resource ?? token.clientID),
                "client_id": .string(token.clientID), "scope": .string(scope), "iat": .number(now), "exp": .number(now + 3599),
                "jti": .string(random.token()),
            ]
            value = try await tokenKeys.sign(MockJWTClaims(claims), algorithm: "RS256", typ: "at+jwt")
        }
        var kept = token
        kept.scope = scope
        kept.issuedAt = clock.now
        kept.expiresAt = clock.now.addingTimeInterval(3599)
        state.withLock { [kept] state in
            state.accessTokens[value] = kept
            state.accessTokenOrder.append(value)
            if state.accessTokenOrder.count > Self.retained {
                let forgotten = state.accessTokenOrder.prefix(Self.retained / 10)
                for token in forgotten { state.accessTokens.removeValue(forKey: token) }
                state.accessTokenOrder.removeFirst(forgotten.count)
            }
        }
        return value
    }

    func issueRefreshToken(_ token: IssuedRefreshToken) -> String {
        let value = random.token()
        state.withLock { state in
            state.refreshTokens[value] = token
            // Bounded as the access tokens are: a long-running mock forgets the oldest tenth.
            state.refreshTokenOrder.append(value)
            if state.refreshTokenOrder.count > Self.retained {
                let forgotten = state.refreshTokenOrder.prefix(Self.retained / 10)
                for token in forgotten { state.refreshTokens.removeValue(forKey: token) }
                state.refreshTokenOrder.removeFirst(forgotten.count)
            }
        }
        return value
    }

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
        var scope = issued.scope
        if let asked = form["scope"] {
            let granted = Set(issued.scope.split(separator: " "))
            guard Set(asked.split(separator: " ")).isSubset(of: granted) else {
                return tokenError(observation, status: .badRequest, "invalid_scope", "a refresh cannot widen the scope")
            }
            scope = asked
        }
        guard let user = user(named: issued.username) else { return tokenError(observation, status: .badRequest, "invalid_grant", "user gone") }
        if rotate {
            // Spent once: of two refreshes at once, one wins.
            guard state.withLock({ $0.refreshTokens.removeValue(forKey: presented) }) != nil else {
                return tokenError(observation, status: .badRequest, "invalid_grant", "unknown, used or another client's or issuer's refresh token")
            }
        }
        let accessToken = try await issueAccessToken(
            IssuedToken(username: issued.username, issuer: issued.issuer, clientID: client.clientID), subject: user.id, scope: scope,
            resource: form["resource"])
        let refreshToken = rotate ? issueRefreshToken(issued) : presented
        var recorded = observation
        recorded.status = 200
        record(recorded)
        return try MockHTTP.json([
            "access_token": ClaimValue.string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(3599),
            "scope": .string(scope), "refresh_token": .string(refreshToken),
        ])
    }

    /// `password` (RFC 6749 §4.3), for test and legacy clients: `username` must be a test
    /// user; the password is not checked — this is a mock, whose users have none. An ID
    /// token with `openid`, a refresh token with `offline_access`.
    func password(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        guard let username = form["username"], let user = user(named: username) else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "no test user of that username")
        }
        let scope = form["scope"] ?? "openid"
        let accessToken = try await issueAccessToken(
            IssuedToken(username: username, issuer: issuer, clientID: client.clientID), subject: user.id, scope: scope, resource: form["resource"])
        var answer: [String: ClaimValue] = [
            "access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(3599), "scope": .string(scope),
        ]
        let request = OAuthRequest(
            issuer: issuer, clientID: client.clientID, redirectURI: "", state: nil, nonce: nil, scope: scope, codeChallenge: nil, codeChallengeMethod: nil)
        if scope.split(separator: " ").contains("openid") { answer["id_token"] = .string(try await idToken(for: user, request: request, accessToken: accessToken)) }
        if scope.split(separator: " ").contains("offline_access") {
            answer["refresh_token"] = .string(issueRefreshToken(IssuedRefreshToken(username: username, issuer: issuer, clientID: client.clientID, scope: scope)))
        }
        var recorded = observation
        recorded.status = 200
        recorded.scope = scope
        record(recorded)
        return try MockHTTP.json(answer)
    }

    /// Introspection (RFC 7662) and revocation (RFC 7009) for an authenticated client, of its
    /// own tokens only: another client's token is inactive to it, and not revoked by it.
    func tokenManagement(_ action: String, _ request: Request, form: [String: String], issuer: String) async throws -> Response {
        var observation = IdPObservation(action: action)
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers[.authorization], let basic = BasicCredentials(authorization: header)?.formDecoded {
            clientID = basic.username
            secret = basic.password
        }
        guard let client = profile.clients.first(where: { $0.clientID == clientID }), let secret, ConstantTime.equals(secret, client.clientSecret) else {
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
                answer["sub"] = .string(access.clientID)
            }
        } else if let refresh {
            answer["scope"] = .string(refresh.scope)
            answer["iss"] = .string(refresh.issuer)
            answer["username"] = .string(refresh.username)
            if let user = user(named: refresh.username) { answer["sub"] = .string(user.id) }
        }
        return try MockHTTP.json(answer)
    }

    /// `client_credentials` (RFC 6749 §4.4): a token for the client itself — no person, no
    /// ID token, no refresh token.
    func clientCredentials(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws
        -> Response
    {
        let scope = (form["scope"] ?? "").split(separator: " ").filter { $0 != "openid" }.joined(separator: " ")
        let accessToken = try await issueAccessToken(
            IssuedToken(username: nil, issuer: issuer, clientID: client.clientID), subject: nil, scope: scope, resource: form["resource"])
        var recorded = observation
        recorded.status = 200
        recorded.scope = scope
        record(recorded)
        var answer: [String: ClaimValue] = ["access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(3599)]
        if !scope.isEmpty { answer["scope"] = .string(scope) }
        return try MockHTTP.json(answer)
    }

    /// Each provider's error shape: OAuth JSON, GitHub's 200-with-error, Facebook's Graph error.
    func tokenError(_ observation: IdPObservation, status: HTTPResponse.Status, _ error: String, _ description: String) -> Response {
        var observation = observation
        observation.error = error
        observation.status = profile.kind == .github ? 200 : Int(status.code)
        record(observation)
        let body: [String: ClaimValue] = switch profile.kind {
        case .facebook:
            ["error": .object(["message": .string(description), "type": .string("OAuthException"), "code": .number(100), "fbtrace_id": .string("mock")])]
        default:
            ["error": .string(error), "error_description": .string(description)]
        }
        var response = (try? MockHTTP.json(body)) ?? Response(status: .internalServerError)
        response.status = profile.kind == .github ? .ok : status
        return response
    }

    // MARK: ID token

    /// The ID token for `user`, with the faults in force applied to it.
    func idToken(for user: IdPProfile.TestUser, request: OAuthRequest, accessToken: String) async throws -> String {
        let faults = self.faults
        var claims = userClaims(user)
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
        _ claims: [String: ClaimValue], issuer: String, subject: String, audience: String, lifetime: Int, faults: Set<IdPFault>
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
        if faults.contains(.unknownKey) { return try await forgedTokenKeys.sign(MockJWTClaims(claims)) }
        return try await tokenKeys.sign(MockJWTClaims(claims), algorithm: "RS256")
    }

    /// The JWT catalogue's context with this IdP's keys: the trusted RSA key under its
    /// published kid, the forgery as the attacker. The EC key is a fresh one nobody
    /// publishes (this IdP signs RS256 only).
    func jwtContext() throws -> JWTAttackCatalogue.Context {
        guard case .rsa(let key) = samlSigning.key, case .rsa(let attacker) = samlForgery.key else {
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
        guard case .object(let pairs) = user.claims else { return [:] }
        // A YAML null (GitHub's `email: null`) leaves the member out.
        return Dictionary(pairs.filter { $0.1 != .null }.map { ($0.0, Self.claimValue($0.1)) }, uniquingKeysWith: { first, _ in first })
    }

    static func claimValue(_ value: ConfigValue) -> ClaimValue {
        switch value {
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .int(let i): .number(i)
        case .double(let d): .string(String(d))
        case .array(let items): .array(items.map(claimValue))
        case .object(let pairs):
            .object(Dictionary(pairs.filter { $0.1 != .null }.map { ($0.0, claimValue($0.1)) }, uniquingKeysWith: { first, _ in first }))
        case .null: .string("")
        }
    }

    // MARK: user info

    func bearer(_ request: Request) -> IssuedToken? {
        var token = Self.query(request)["access_token"]
        if let header = request.headers[.authorization] {
            for scheme in ["Bearer ", "bearer ", "token "] where header.hasPrefix(scheme) { token = String(header.dropFirst(scheme.count)) }
        }
        let now = clock.now
        return token.flatMap { t in state.withLock { $0.accessTokens[t] } }.flatMap { $0.expiresAt > now ? $0 : nil }
    }

    func userinfo(_ request: Request) async throws -> Response {
        var observation = IdPObservation(action: "userinfo")
        let fields = Self.query(request)["fields"]
        observation.fields = fields
        guard let token = bearer(request), let username = token.username, let user = user(named: username) else {
            observation.status = 401
            observation.error = "invalid_token"
            record(observation)
            var response = try MockHTTP.json(
                profile.kind == .github
                    ? ["message": ClaimValue.string("Bad credentials")]
                    : ["error": .string("invalid_token")])
            response.status = .unauthorized
            return response
        }
        if profile.kind == .github, request.headers[.userAgent] == nil {
            observation.status = 403
            observation.error = "user_agent_required"
            record(observation)
            var response = try MockHTTP.json(["message": ClaimValue.string("Request forbidden by administrative rules. Please make sure your request has a User-Agent header")])
            response.status = .forbidden
            return response
        }
        observation.status = 200
        record(observation)
        var claims = userClaims(user)
        let omitID = faults.contains(.missingUserID)
        switch profile.kind {
        case .facebook:
            // Graph returns `id` and the fields asked for, nothing else.
            let asked = Set((fields ?? "id,name").split(separator: ",").map(String.init))
            claims = claims.filter { asked.contains($0.key) }
            if !omitID { claims["id"] = .string(user.id) }
        case .github:
            claims["emails"] = nil
            if !omitID { claims["id"] = Int(user.id).map(ClaimValue.number) ?? .string(user.id) }
            claims["login"] = claims["login"] ?? .string(user.username)
        default:
            if !omitID { claims["sub"] = .string(user.id) }
            if profile.kind == .microsoft { claims["tid"] = .string(profile.tenantID) }
        }
        return try MockHTTP.json(claims)
    }

    /// GitHub `/user/emails`: the profile's `emails` list.
    func githubEmails(_ request: Request) async throws -> Response {
        var observation = IdPObservation(action: "emails")
        guard let token = bearer(request), let username = token.username, let user = user(named: username) else {
            observation.status = 401
            record(observation)
            var response = try MockHTTP.json(["message": ClaimValue.string("Bad credentials")])
            response.status = .unauthorized
            return response
        }
        observation.status = 200
        record(observation)
        return try MockHTTP.json(userClaims(user)["emails"] ?? .array([]))
    }
}

/// Passes a response body on one byte a second (the `slow-body` fault).
struct DrippingWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter

    mutating func write(_ buffer: ByteBuffer) async throws {
        for byte in buffer.readableBytesView {
            try await parent.write(ByteBuffer(bytes: [byte]))
            try await Task.sleep(for: .seconds(1))
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await parent.finish(trailingHeaders)
    }
}
