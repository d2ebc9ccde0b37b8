import Crypto
import Foundation
import Hummingbird
import IdentityCore
import JWTKit
import OIDC
import StrictYAML
import XMLSecurity

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
        issuer(named: context.parameters.get("issuer"))
    }

    func addOAuthRoutes(to router: Router<BasicRequestContext>) {
        let e = endpoints
        router.get(RouterPath(e.authorize)) { request, context in try await self.authorize(MockHTTP.query(request), issuer: self.issuer(context)) }
        if profile.kind == .facebook {
            router.get(RouterPath(e.token)) { request, context in
                try await self.backChannel { try await self.token(request, form: MockHTTP.query(request), issuer: self.issuer(context)) }
            }
        } else {
            router.post(RouterPath(e.token)) { request, context in
                let form = try await MockHTTP.form(request)
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
                let form = try await MockHTTP.form(request)
                return try await self.backChannel { try await self.tokenManagement(action, request, form: form, issuer: self.issuer(context)) }
            }
        }
        if profile.kind == .oidc { addDeviceRoutes(to: router) }
        if let endSession = e.endSession {
            router.get(RouterPath(endSession)) { request, _ in try self.endSession(MockHTTP.query(request)) }
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

    /// An endpoint's URL from its route pattern: `:issuer` and `:tenant` are the request's
    /// (nil: the profile's issuer name and tenant).
    func endpointURL(_ pattern: String, issuer: String? = nil, tenant: String? = nil) -> String {
        let path = pattern.split(separator: "/").map { part in
            switch part {
            case ":issuer": issuer ?? profile.issuerName
            case ":tenant": tenant ?? profile.tenantID
            default: String(part)
            }
        }.joined(separator: "/")
        return "\(baseURL)/\(path)"
    }

    func discoveryDocument(issuer: String, context: BasicRequestContext) -> [String: ClaimValue] {
        func url(_ pattern: String?) -> ClaimValue {
            .string(pattern.map { endpointURL($0, issuer: context.parameters.get("issuer"), tenant: context.parameters.get("tenant")) } ?? "")
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
            document["grant_types_supported"] = .array(GrantType.generic.map(ClaimValue.string))
            document["device_authorization_endpoint"] = .string("\(issuer)/device_authorization")
            document["token_endpoint_auth_methods_supported"] = .array(["client_secret_basic", "client_secret_post", "none"].map(ClaimValue.string))
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
        guard let client = knownClient(query["client_id"]) else {
            observation.error = "invalid_client"
            record(observation)
            return Self.errorPage("unknown client_id")
        }
        guard let target = query["post_logout_redirect_uri"] else {
            record(observation)
            return MockHTTP.page("idp-logged-out", title: "mock IdP", "<p>Logged out.</p>")
        }
        guard try allowsAfterLogout(target, client: client) else {
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
        guard let client = knownClient(query["client_id"]) else {
            observation.error = "unknown_client"
            record(observation)
            return Self.errorPage("unknown client_id")
        }
        let clientID = client.clientID
        guard let redirectURI = query["redirect_uri"], try allows(redirectURI, registered: client.redirectURIs) else {
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
            scope: query["scope"] ?? "", codeChallenge: query["code_challenge"], codeChallengeMethod: query["code_challenge_method"],
            parameters: query)
        // Headless login for scripts: a login_hint naming a test user skips the page, and
        // so does autoLogin, for a client that cannot send one.
        if let user = query["login_hint"].flatMap(user(named:)) ?? autoLoginUser {
            return try await finishAuthorization(request, user: user)
        }
        let id = random.token()
        state.withLock { Self.remember(.oauth(request), as: id, in: &$0.pending, order: &$0.pendingOrder) }
        return loginPage(pendingID: id, client: clientID)
    }

    func finishAuthorization(_ request: OAuthRequest, user: IdPProfile.TestUser?, extraClaims: [String: ClaimValue] = [:]) async throws -> Response {
        var observation = IdPObservation(action: "login")
        guard let user, !faults.contains(.errorResponse) else {
            observation.outcome = user == nil ? "denied" : "error-response"
            record(observation)
            return oauthRedirect(request.redirectURI, deniedParameters(state: request.state))
        }
        observation.outcome = "user:\(user.username)"
        record(observation)
        let code = random.token()
        remember(origin: request.redirectURI, of: request.clientID)
        let issued = IssuedCode(request: request, username: user.username, extraClaims: extraClaims, expiresAt: clock.now.addingTimeInterval(600))
        state.withLock { Self.remember(issued, as: code, in: &$0.codes, order: &$0.codeOrder) }
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
        let (authenticated, method) = authenticateClient(request, form: form)
        observation.clientAuthentication = method
        guard let client = authenticated else {
            return tokenError(observation, status: .unauthorized, "invalid_client", "client authentication failed")
        }
        if profile.kind == .oidc {
            switch form["grant_type"] ?? "" {
            case "authorization_code": break
            case "refresh_token": return try await refresh(form, client: client, issuer: issuer, observation: observation)
            case "client_credentials": return try await clientCredentials(form, client: client, issuer: issuer, observation: observation)
            case "password": return try await password(form, client: client, issuer: issuer, observation: observation)
            case GrantType.deviceCode: return try await deviceToken(form, client: client, issuer: issuer, observation: observation)
            case GrantType.jwtBearer: return try await jwtBearer(form, client: client, issuer: issuer, observation: observation)
            case GrantType.tokenExchange: return try await tokenExchange(form, client: client, issuer: issuer, observation: observation)
            default:
                return tokenError(observation, status: .badRequest, "unsupported_grant_type", "one of: \(GrantType.generic.joined(separator: ", "))")
            }
        } else if ![.facebook, .github].contains(profile.kind), form["grant_type"] != "authorization_code" {
            return tokenError(observation, status: .badRequest, "unsupported_grant_type", "only authorization_code")
        }
        let reusable = faults.contains(.reusableCodes)
        guard let code = form["code"], let issued = state.withLock({ reusable ? $0.codes[code] : $0.codes.removeValue(forKey: code) }),
            issued.request.clientID == client.clientID, issued.request.issuer == issuer, issued.expiresAt > clock.now
        else {
            return tokenError(observation, status: .badRequest, profile.kind == .github ? "bad_verification_code" : "invalid_grant", "unknown, used, expired or another client's code")
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
        let extraClaims = self.extraClaims(login: issued.extraClaims, form: form, client: client, authorization: issued.request.parameters)
        let accessToken = try await issueAccessToken(
            IssuedToken(username: issued.username, issuer: issued.request.issuer, clientID: client.clientID, extraClaims: extraClaims), subject: person?.id,
            scope: issued.request.scope, resource: Self.audience(form, authorization: issued.request.parameters))
        // The ID token is built before the exchange is recorded: an observation says 200
        // only for an answer that is really sent (the app runner counts on it).
        var idToken = ""
        if ![.facebook, .github].contains(profile.kind) {
            guard let user = user(named: issued.username) else { return tokenError(observation, status: .badRequest, "invalid_grant", "user gone") }
            idToken = try await self.idToken(for: user, request: issued.request, accessToken: accessToken, extraClaims: extraClaims)
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
            var answer = Self.tokenAnswer(accessToken, scope: issued.request.scope, ["id_token": .string(idToken)])
            // OIDC Core §11: a refresh token when the client asked for offline access.
            if profile.kind == .oidc, issued.request.scope.split(separator: " ").contains("offline_access") {
                answer["refresh_token"] = .string(issueRefreshToken(
                    IssuedRefreshToken(
                        username: issued.username, issuer: issued.request.issuer, clientID: client.clientID, scope: issued.request.scope,
                        extraClaims: extraClaims)))
            }
            return try MockHTTP.json(answer)
        }
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
        // RFC 6749 §5.2: a 401 to a client that used HTTP Basic names the scheme.
        if response.status == .unauthorized, observation.clientAuthentication == "client_secret_basic" {
            response.headers[.wwwAuthenticate] = "Basic realm=\"mock-idp\""
        }
        return response
    }

    // MARK: user info

    func bearer(_ request: Request) -> IssuedToken? {
        var token = MockHTTP.query(request)["access_token"]
        if let header = request.headers[.authorization] {
            for scheme in ["Bearer ", "bearer ", "token "] where header.hasPrefix(scheme) { token = String(header.dropFirst(scheme.count)) }
        }
        let now = clock.now
        return token.flatMap { t in state.withLock { $0.accessTokens[t] } }.flatMap { $0.expiresAt > now ? $0 : nil }
    }

    func userinfo(_ request: Request) async throws -> Response {
        var observation = IdPObservation(action: "userinfo")
        let fields = MockHTTP.query(request)["fields"]
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
        var claims = Self.adding(token.extraClaims, to: userClaims(user))
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
