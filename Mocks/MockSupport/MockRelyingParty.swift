import AsyncHTTPClient
public import OutboundHTTP
public import Foundation
public import HTTPServing
public import Hummingbird
public import IdentityCore
public import Logging
import NIOCore
import NIOHTTP1
import OIDC
import JWTKit
import XMLSecurity
import Synchronization

/// A mock OpenID Connect relying party: starts code flows with switchable behaviour
/// (`/login`), finishes them at `/callback` like a careful RP (state, code exchange with its
/// client authentication, ID token validated through the JWKS, userinfo), and offers the
/// other client actions (`/refresh`, `/introspect`, `/revoke`, `/device/start`, …). Every
/// action is recorded (`GET /observations`). It speaks only OAuth/OIDC on the wire.
public final class MockRelyingParty: Sendable {
    public let profile: RPProfile
    /// The provider's issuer identifier, as the profile names it once placeholders are filled.
    public let issuer: String
    let assertionKeys: JWTKeyCollection?
    let clock: any WallClock
    let random: any RandomSource
    /// Its calls to the provider (discovery, token, userinfo, JWKS), trusting the CAs given.
    let client: HTTPClient
    private let address = ListeningAddress()
    let sessions = MockSessions()
    let state = Mutex(State())

    struct Pending {
        var nonce: String?
        var verifier: String?
        var redirectURI: String
        var exchangeVerifier: String?
        var maxAge: Int?
        /// `race=N`: the code is redeemed N times at once (``race(_:_:)``).
        var race: Int?
    }

    struct State {
        var pending: [String: Pending] = [:]
        var lastCode: (code: String, redirectURI: String, verifier: String?)?
        var accessToken: String?
        var refreshToken: String?
        /// The last token a token exchange gave (it belongs to the audience client).
        var exchangedToken: String?
        /// The last request_uri the PAR endpoint gave (`par=reuse` sends it again).
        var requestURI: String?
        /// The refresh token before the last rotation, to show a rotated one is refused.
        var previousRefreshToken: String?
        var deviceCode: String?
        /// The last ID token (sent as id_token_hint at logout) and whom it named.
        var idToken: String?
        var identity: (iss: String, sub: String)?
        /// The `sid` of the session the last login's ID token named, and the logout tokens
        /// already honoured (their `jti`).
        var sid: String?
        var logoutTokenIDs = Set<String>()
        var observations: [RPObservation] = []
        var discovery: ProviderMetadata?
        var keys: VerificationKeySet?
    }

    /// `outbound`: the CAs its https calls to the provider trust besides the system's.
    public init(
        profile: RPProfile, directory: URL, placeholders: Placeholders, clock: any WallClock, random: any RandomSource, outbound: OutboundTrust = .system
    ) async throws {
        self.client = try OutboundHTTP.client(outbound)
        self.profile = profile
        self.issuer = try placeholders.substitute(profile.issuer)
        self.clock = clock
        self.random = random
        // Its key signs private_key_jwt assertions and request objects (SP-2).
        if let signing = profile.signing {
            let pem = try String(contentsOf: URL(fileURLWithPath: signing.privateKey, relativeTo: directory), encoding: .utf8)
            let keys = JWTKeyCollection()
            await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256, kid: "rp")
            assertionKeys = keys
        } else if profile.tokenEndpointAuthMethod == "private_key_jwt" {
            throw MockError(.mockProfileInvalid, field: "signing", detail: "private_key_jwt needs a signing key")
        } else {
            assertionKeys = nil
        }
    }

    public var baseURL: String { address.url }
    public var observations: [RPObservation] { state.withLock { $0.observations } }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ProviderFailures(party: self))
        router.get("/login") { request, _ in try await self.login(MockHTTP.query(request)) }
        router.get("/callback") { request, _ in try await self.callback(MockHTTP.query(request)) }
        // response_mode=form_post: the same answer in a POST body.
        router.post("/callback") { request, _ in
            let form = try await MockHTTP.form(request)
            return try await self.callback(form, method: "POST")
        }
        router.get("/refresh") { request, _ in try await self.record("refresh", self.refresh(MockHTTP.query(request))) }
        router.get("/reuse-code") { _, _ in try await self.record("reuse-code", self.reuseCode()) }
        router.get("/userinfo") { _, _ in try await self.record("userinfo", self.userinfo()) }
        router.get("/introspect") { request, _ in try await self.record("introspect", self.introspect(MockHTTP.query(request))) }
        router.get("/revoke") { request, _ in try await self.record("revoke", self.revoke(MockHTTP.query(request))) }
        router.get("/client-credentials") { request, _ in
            try await self.record("client-credentials", self.token(["grant_type": "client_credentials", "scope": MockHTTP.query(request)["scope"]]))
        }
        router.get("/password") { request, _ in
            let q = MockHTTP.query(request)
            return try await self.record(
                "password", self.token(["grant_type": "password", "username": q["username"], "password": q["password"], "scope": q["scope"] ?? self.profile.scope]))
        }
        router.get("/jwt-bearer") { request, _ in try await self.record("jwt-bearer", self.assertionGrant(.jwt, MockHTTP.query(request))) }
        router.get("/saml2-bearer") { request, _ in try await self.record("saml2-bearer", self.assertionGrant(.saml2, MockHTTP.query(request))) }
        router.get("/token-exchange") { request, _ in try await self.tokenExchange(MockHTTP.query(request)) }
        router.get("/device/start") { request, _ in try await self.deviceStart(MockHTTP.query(request)) }
        router.get("/device/poll") { request, _ in try await self.record("device-poll", self.devicePoll(MockHTTP.query(request))) }
        router.get("/discovery") { _, _ in try await self.record("discovery", self.discoveryObservation()) }
        router.get("/logout") { request, _ in try await self.logout(MockHTTP.query(request)) }
        router.post("/backchannel-logout") { request, _ in
            let form = try await MockHTTP.form(request)
            return try await self.backchannelLogout(form["logout_token"])
        }
        router.get("/frontchannel-logout") { request, _ in self.frontchannelLogout(MockHTTP.query(request)) }
        router.get("/logged-out") { request, _ in
            var observation = RPObservation(action: "logged-out")
            observation.stateMatched = MockHTTP.query(request)["state"] == "logout-state"
            return self.record(observation)
        }
        router.get("/observations") { _, _ in try MockHTTP.json(["observations": self.observations]) }
        router.post("/_mock/reset") { _, _ in
            self.state.withLock { $0 = State() }
            self.sessions.clear()
            return Response(status: .noContent)
        }
        if profile.sessions {
            router.get("/whoami") { request, _ in self.sessions.whoami(request, observe: "sub") }
        }
        return router
    }

    public func application(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, logger: Logger = MockServiceProvider.logger(), tap: TrafficTap? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        MockHTTP.application(
            router: router(), serverName: "mock-rp", host: host, port: port, tls: tls, logger: logger, address: address, tap: tap, onListening: onListening)
    }

    // MARK: login and callback

    /// `/login` switches: `pkce=S256|plain|none` (default S256), `verifier=wrong|omit` (at the
    /// exchange), `scope`, `prompt`, `max_age`, `response_type` (default code), `nonce=omit`,
    /// `state=omit`, `redirect_uri` (override), `client_id` (override), `login_hint`,
    /// `response_mode` (e.g. form_post), `race=N` (the code is redeemed N times at once).
    private func login(_ q: [String: String]) async throws -> Response {
        let discovery = try await metadata()
        let stateValue = q["state"] == "omit" ? nil : random.token()
        let nonce = q["nonce"] == "omit" ? nil : random.token()
        let redirectURI = q["redirect_uri"] ?? (baseURL + "/callback")
        var parameters: [(String, String?)] = [
            ("response_type", q["response_type"] ?? "code"), ("client_id", q["client_id"] ?? profile.clientID),
            ("redirect_uri", redirectURI), ("scope", q["scope"] ?? profile.scope), ("state", stateValue), ("nonce", nonce),
            ("prompt", q["prompt"]), ("max_age", q["max_age"]), ("login_hint", q["login_hint"]), ("response_mode", q["response_mode"]),
        ]
        var verifier: String?
        switch q["pkce"] ?? "S256" {
        case "none": break
        case "plain":
            let v = random.token() + random.token().prefix(20)
            verifier = String(v)
            parameters += [("code_challenge", verifier), ("code_challenge_method", "plain")]
        default:
            let v = random.token() + random.token().prefix(20)
            verifier = String(v)
            parameters += [("code_challenge", PKCE.s256(String(v))), ("code_challenge_method", "S256")]
        }
        let race: Int?
        switch Self.raceCount(q) {
        case .success(let count): race = count
        case .failure: return record(Self.refused("rp.bad_option"))
        }
        let exchangeVerifier: String? = switch q["verifier"] {
        case "omit": nil
        case "wrong": String((random.token() + random.token()).prefix(50))
        default: verifier
        }
        state.withLock {
            $0.pending[stateValue ?? ""] = Pending(
                nonce: nonce, verifier: verifier, redirectURI: redirectURI, exchangeVerifier: exchangeVerifier, maxAge: q["max_age"].flatMap(Int.init),
                race: race)
        }
        return try await authorizationRedirect(parameters, q, discovery: discovery)
    }

    private func callback(_ q: [String: String], method: String? = nil) async throws -> Response {
        var observation = RPObservation(action: "callback")
        observation.callbackMethod = method
        let pending = state.withLock { $0.pending.removeValue(forKey: q["state"] ?? "") }
        observation.stateMatched = pending != nil
        observation.issuerParameter = q["iss"]
        if let error = q["error"] {
            observation.error = error
            observation.errorDescription = q["error_description"]
            return record(observation)
        }
        guard let pending else {
            observation.error = "rp.state_mismatch"
            return record(observation)
        }
        guard let code = q["code"] else {
            observation.error = "rp.code_missing"
            return record(observation)
        }
        // RFC 9207: an `iss` that is there must be the issuer; one that is not is required
        // only of a provider that says it sends it.
        if let iss = q["iss"] {
            guard iss == issuer else {
                observation.error = "rp.iss_mismatch"
                return record(observation)
            }
        } else if try await metadata().authorizationResponseIssParameterSupported {
            observation.error = "rp.iss_missing"
            return record(observation)
        }
        state.withLock { $0.lastCode = (code, pending.redirectURI, pending.exchangeVerifier) }
        let exchange: [String: String?] = [
            "grant_type": "authorization_code", "code": code, "redirect_uri": pending.redirectURI, "code_verifier": pending.exchangeVerifier,
        ]
        if let times = pending.race {
            observation.race = try await race(times, exchange)
            return record(observation)
        }
        let exchanged = try await token(exchange, nonce: pending.nonce, maxAge: pending.maxAge, newLogin: true)
        observation.merge(exchanged)
        if exchanged.error == nil, exchanged.idToken?.valid != false {
            observation.response = try await userinfoResponse()
        }
        let signedIn = profile.sessions && observation.error == nil && observation.idToken?.valid == true
        return MockSessions.setting(signedIn ? sessions.start(for: observation.idToken?.sub ?? "", random: random) : nil, on: record(observation))
    }

    // MARK: back-channel actions

    /// `which=previous` presents the refresh token from before the last rotation;
    /// `as=CLIENT_ID:SECRET` presents it authenticated as another client (HTTP Basic), the
    /// theft RFC 6749 §10.4 requires a server to refuse; `race=N` presents it N times at once.
    private func refresh(_ q: [String: String]) async throws -> RPObservation {
        let chosen = state.withLock { q["which"] == "previous" ? $0.previousRefreshToken : $0.refreshToken }
        guard let refreshToken = chosen else { return Self.refused("rp.no_refresh_token") }
        var impostor: (id: String, secret: String)?
        if let other = q["as"] {
            let parts = other.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return Self.refused("rp.bad_option") }
            impostor = (parts[0], parts[1])
        }
        if impostor != nil, q["race"] != nil { return Self.refused("rp.bad_option") }
        return try await tokenOrRace(
            q, action: "refresh", ["grant_type": "refresh_token", "refresh_token": refreshToken, "scope": q["scope"]], as: impostor)
    }

    private func reuseCode() async throws -> RPObservation {
        guard let last = state.withLock({ $0.lastCode }) else { return Self.refused("rp.no_code") }
        return try await token(["grant_type": "authorization_code", "code": last.code, "redirect_uri": last.redirectURI, "code_verifier": last.verifier])
    }

    private func userinfo() async throws -> RPObservation {
        var observation = RPObservation(action: "userinfo")
        guard let accessToken = state.withLock({ $0.accessToken }) else { return Self.refused("rp.no_access_token") }
        let (status, body) = try await send(
            "GET", try await metadata().endpoint(\.userinfoEndpoint, named: "userinfo_endpoint"), headers: [("Authorization", "Bearer \(accessToken)")])
        observation.status = status
        if status == 200 { observation.response = body } else { observation.error = body?["error"]?.string }
        return observation
    }

    private func userinfoResponse() async throws -> [String: ClaimValue]? {
        // Userinfo is optional (Discovery 1.0 §3): a provider without it gives the ID token only.
        guard let accessToken = state.withLock({ $0.accessToken }), let endpoint = try await metadata().userinfoEndpoint else { return nil }
        let (status, body) = try await send("GET", endpoint, headers: [("Authorization", "Bearer \(accessToken)")])
        return status == 200 ? body : ["error": .string(body?["error"]?.string ?? "status \(status)")]
    }

    private func introspect(_ q: [String: String]) async throws -> RPObservation {
        var observation = RPObservation(action: "introspect")
        let (status, body) = try await clientRequest(try await metadata().endpoint(\.introspectionEndpoint, named: "introspection_endpoint"), ["token": tokenNamed(q["token"])])
        observation.status = status
        if status == 200 {
            observation.response = body?.filter { ["active", "scope", "client_id", "token_type", "sub", "username"].contains($0.key) }
        } else {
            observation.error = body?["error"]?.string
        }
        return observation
    }

    private func revoke(_ q: [String: String]) async throws -> RPObservation {
        var observation = RPObservation(action: "revoke")
        let (status, body) = try await clientRequest(try await metadata().endpoint(\.revocationEndpoint, named: "revocation_endpoint"), ["token": tokenNamed(q["token"])])
        observation.status = status
        observation.error = body?["error"]?.string
        return observation
    }

    /// `refresh`, `exchanged` (the last token exchange's), `access` or nothing (the access
    /// token); any other value is the token itself (one a scenario saved from a page).
    private func tokenNamed(_ name: String?) -> String? {
        state.withLock {
            switch name {
            case "refresh": $0.refreshToken
            case "exchanged": $0.exchangedToken
            case nil, "access": $0.accessToken
            case let literal?: literal
            }
        }
    }

    /// OA-2's bearer grants (RFC 7523, RFC 7522): `assertion` — a JWT, or a base64url SAML
    /// assertion, as a scenario got it from a mock IdP's `/_mock/…` minting endpoint.
    private func assertionGrant(_ kind: BearerAssertionKind, _ q: [String: String]) async throws -> RPObservation {
        try await token(["grant_type": "urn:ietf:params:oauth:grant-type:\(kind.rawValue)", "assertion": q["assertion"], "scope": q["scope"] ?? profile.scope])
    }

    /// RFC 8693 token exchange of this RP's access token (or `subject_token`) for one for
    /// `audience` (a client ID), optionally narrowed by `scope`, of `requested_token_type`
    /// (`access_token` or `id_token`). The issued token is not this RP's: it is kept apart
    /// (`token: exchanged`) and shown on the page (`{page.issuedToken}`), so the audience
    /// client can be made to introspect it.
    private func tokenExchange(_ q: [String: String]) async throws -> Response {
        let urn = "urn:ietf:params:oauth:token-type:"
        var observation = RPObservation(action: "token-exchange")
        let (status, body) = try await clientRequest(
            try await metadata().tokenEndpoint,
            [
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": tokenNamed(q["subject_token"]),
                "subject_token_type": urn + (q["subject_token_type"] ?? "access_token"),
                "requested_token_type": q["requested_token_type"].map { urn + $0 }, "audience": q["audience"], "scope": q["scope"],
            ])
        observation.status = status
        guard status == 200, let body, let issued = body["access_token"]?.string else {
            observation.refused(status: status, body: body)
            return record(observation)
        }
        observation.tokenType = body["token_type"]?.string
        observation.scope = body["scope"]?.string
        observation.issuedTokenType = body["issued_token_type"]?.string.map { $0.hasPrefix(urn) ? String($0.dropFirst(urn.count)) : $0 }
        observation.refreshTokenIssued = body["refresh_token"] != nil
        if observation.issuedTokenType == "id_token" {
            // An ID token for another client: this RP checks it as that client would.
            let (validated, _) = try await validate(issued, nonce: nil, accessToken: nil, audience: q["audience"])
            observation.idToken = validated
        }
        state.withLock { $0.exchangedToken = issued }
        state.withLock { $0.observations.append(observation) }
        return MockHTTP.page(
            "rp-result", title: "mock RP",
            "<h1>token-exchange</h1><p>issued: <code data-observe=\"issuedToken\">\(MarkupEscaping.attribute(issued))</code></p>")
    }

    private func deviceStart(_ q: [String: String]) async throws -> Response {
        var observation = RPObservation(action: "device-start")
        let (status, body) = try await clientRequest(
            try await metadata().endpoint(\.deviceAuthorizationEndpoint, named: "device_authorization_endpoint"), ["scope": q["scope"] ?? profile.scope])
        observation.status = status
        guard status == 200, let body, let deviceCode = body["device_code"]?.string else {
            observation.error = body?["error"]?.string
            return record(observation)
        }
        state.withLock { $0.deviceCode = deviceCode }
        observation.response = body.filter { ["expires_in", "interval", "verification_uri"].contains($0.key) }
        _ = record(observation)
        let userCode = MarkupEscaping.attribute(body["user_code"]?.string ?? "")
        let complete = MarkupEscaping.attribute(body["verification_uri_complete"]?.string ?? "")
        return MockHTTP.page(
            "rp-device", title: "mock RP",
            "<h1>Connect this device</h1><p>Code: <strong data-observe=\"userCode\">\(userCode)</strong></p>"
                + "<p><a data-observe=\"verificationURIComplete\" href=\"\(complete)\">\(complete)</a></p>")
    }

    /// `race=N` polls N times at once.
    private func devicePoll(_ q: [String: String]) async throws -> RPObservation {
        guard let deviceCode = state.withLock({ $0.deviceCode }) else { return Self.refused("rp.no_device_code") }
        return try await tokenOrRace(q, action: "device-poll", ["grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": deviceCode])
    }

    private func discoveryObservation() async throws -> RPObservation {
        var observation = RPObservation(action: "discovery")
        let (status, body) = try await send("GET", issuer + "/.well-known/openid-configuration")
        observation.status = status
        observation.response = body
        return observation
    }

    private func logout(_ q: [String: String]) async throws -> Response {
        let endSession = try await metadata().endpoint(\.endSessionEndpoint, named: "end_session_endpoint")
        let hint = q["hint"] == "omit" ? nil : state.withLock { $0.idToken }
        let parameters: [(String, String?)] = [
            ("client_id", profile.clientID), ("post_logout_redirect_uri", q["post_logout_redirect_uri"] ?? baseURL + "/logged-out"),
            ("state", "logout-state"), ("id_token_hint", hint),
        ]
        return Response(status: .found, headers: [.location: endSession + "?" + URLEncoding.query(parameters)])
    }

    // MARK: the token endpoint

    /// Calls the token endpoint with this RP's client authentication; validates an ID token
    /// in the answer (with `nonce` when given) and keeps the tokens for later actions.
    /// `newLogin` marks a code exchange: its ID token sets whom this RP knows; any later
    /// ID token (a refresh) must name the same issuer and subject (OIDC Core §12.2).
    private func token(
        _ parameters: [String: String?], nonce: String? = nil, maxAge: Int? = nil, newLogin: Bool = false, as impostor: (id: String, secret: String)? = nil
    ) async throws -> RPObservation {
        var observation = RPObservation(action: parameters["grant_type"].flatMap { $0 } ?? "token")
        let (status, body) = try await clientRequest(try await metadata().tokenEndpoint, parameters, as: impostor)
        observation.status = status
        guard status == 200, let body, let accessToken = body["access_token"]?.string else {
            observation.refused(status: status, body: body)
            return observation
        }
        observation.tokenType = body["token_type"]?.string
        if case .number(let seconds)? = body["expires_in"] { observation.expiresIn = seconds }
        observation.scope = body["scope"]?.string
        observation.refreshTokenIssued = body["refresh_token"] != nil
        observation.idTokenIssued = body["id_token"] != nil
        if keep(accessToken: accessToken, refreshToken: body["refresh_token"]?.string) { observation.refreshTokenRepeated = true }
        if let idToken = body["id_token"]?.string {
            var (validated, sid) = try await validate(idToken, nonce: nonce, accessToken: accessToken)
            if validated.valid, let maxAge, let authTime = validated.authTime,
                clock.now.timeIntervalSince1970 - Double(authTime) > Double(maxAge + profile.clockSkewSeconds)
            {
                validated.valid = false
                validated.error = "rp.auth_time_too_old"
            }
            if validated.valid {
                let known = state.withLock { $0.identity }
                if !newLogin, let known, known.iss != validated.iss || known.sub != validated.sub {
                    validated.valid = false
                    validated.error = "rp.subject_changed"
                } else {
                    state.withLock {
                        $0.idToken = idToken
                        if newLogin { $0.identity = (validated.iss ?? "", validated.sub ?? "") }
                        if newLogin || sid != nil { $0.sid = sid }
                    }
                }
            }
            observation.idToken = validated
        }
        return observation
    }

    /// What this RP expects of the provider's ID tokens (and of its logout tokens).
    func idTokenValidator(audience: String? = nil) async throws -> IDTokenValidator {
        IDTokenValidator(
            issuer: issuer, clientID: audience ?? profile.clientID, keys: try await verificationKeys(), clock: clock,
            clockSkew: TimeInterval(profile.clockSkewSeconds), allowedAlgorithms: Set(try await metadata().idTokenSigningAlgValuesSupported))
    }

    /// The ID token as validated, and the `sid` it names (kept for logout, not recorded:
    /// the provider's value differs run to run).
    private func validate(_ idToken: String, nonce: String?, accessToken: String?, audience: String? = nil) async throws
        -> (IDTokenObservation, sid: String?)
    {
        let validator = try await idTokenValidator(audience: audience)
        do {
            let (claims, header) = try await validator.validate(idToken, nonce: nonce, accessToken: accessToken)
            let observation = IDTokenObservation(
                valid: true, alg: header.alg, iss: claims.iss, sub: claims.sub, aud: claims.aud, azp: claims.azp,
                nonceMatched: nonce.map { $0 == claims.nonce }, atHash: claims.atHash == nil ? "absent" : "valid",
                iat: Int(claims.iat.timeIntervalSince1970), exp: Int(claims.exp.timeIntervalSince1970),
                authTime: claims.authTime.map { Int($0.timeIntervalSince1970) },
                // A `jti` (RFC 7519 §4.1.7) names the token, not the person: a random
                // value some providers add, so it is not recorded among the person's claims.
                claims: claims.claims.filter { $0.key != "jti" })
            return (observation, claims.sid)
        } catch {
            return (IDTokenObservation(valid: false, error: error.code.rawValue), nil)
        }
    }

    /// A form POST to a client endpoint with this RP's client authentication, or another
    /// client's secret sent with HTTP Basic.
    func clientRequest(_ url: String, _ parameters: [String: String?], as impostor: (id: String, secret: String)? = nil) async throws
        -> (Int, [String: ClaimValue]?)
    {
        var form = parameters.compactMapValues { $0 }
        var headers = [(String, String)]()
        if let impostor {
            headers.append(("Authorization", BasicCredentials(username: impostor.id, password: impostor.secret).header(formEncoded: true)))
            return try await send("POST", url, headers: headers, form: form)
        }
        switch profile.tokenEndpointAuthMethod {
        case "client_secret_basic":
            headers.append(("Authorization", BasicCredentials(username: profile.clientID, password: profile.clientSecret ?? "").header(formEncoded: true)))
        case "client_secret_post":
            form["client_id"] = profile.clientID
            form["client_secret"] = profile.clientSecret
        case "private_key_jwt":
            let claims = ClientAssertionClaims(
                iss: profile.clientID, sub: profile.clientID, aud: try await metadata().tokenEndpoint,
                exp: clock.now.addingTimeInterval(60), jti: random.token())
            form["client_assertion_type"] = ClientAuthenticator.assertionType
            form["client_assertion"] = try await assertionKeys?.sign(claims, kid: "rp")
        default:
            form["client_id"] = profile.clientID
        }
        return try await send("POST", url, headers: headers, form: form)
    }

    /// One token request, or with `race=N` in `q` the same request N times at once.
    private func tokenOrRace(
        _ q: [String: String], action: String, _ parameters: [String: String?], as impostor: (id: String, secret: String)? = nil
    ) async throws -> RPObservation {
        switch Self.raceCount(q) {
        case .failure: return Self.refused("rp.bad_option")
        case .success(let times?):
            var observation = RPObservation(action: action)
            observation.race = try await race(times, parameters)
            return observation
        case .success(nil): return try await token(parameters, as: impostor)
        }
    }

    /// Keeps the tokens of an answer for later actions; true when its refresh token is the
    /// one already held (not rotated).
    func keep(accessToken: String, refreshToken: String?) -> Bool {
        state.withLock {
            $0.accessToken = accessToken
            guard let refreshToken else { return false }
            if refreshToken == $0.refreshToken { return true }
            $0.previousRefreshToken = $0.refreshToken
            $0.refreshToken = refreshToken
            return false
        }
    }

    // MARK: plumbing

    /// The provider's metadata, read as Discovery 1.0 says (``ProviderMetadata``); a
    /// document that is missing or unusable is `discovery.invalid`, recorded.
    func metadata() async throws -> ProviderMetadata {
        if let cached = state.withLock({ $0.discovery }) { return cached }
        let url = issuer + "/.well-known/openid-configuration"
        let (status, data) = try await fetch("GET", url)
        guard status == 200 else {
            throw JOSEError(.discoveryInvalid, detail: "GET \(url) answered \(status)")
        }
        let document = try ProviderMetadata(json: data)
        guard document.issuer == issuer else {
            // Discovery 1.0 §4.3: the issuer in the document must be the one asked.
            throw JOSEError(.discoveryInvalid, field: "issuer", value: document.issuer, detail: "the document names issuer \(document.issuer), not \(issuer)")
        }
        state.withLock { $0.discovery = document }
        return document
    }

    private func verificationKeys() async throws -> VerificationKeySet {
        if let cached = state.withLock({ $0.keys }) { return cached }
        let (_, data) = try await fetch("GET", try await metadata().jwksURI)
        let keys = try await VerificationKeySet(jwks: data)
        state.withLock { $0.keys = keys }
        return keys
    }

    private func send(_ method: String, _ url: String, headers: [(String, String)] = [], form: [String: String]? = nil) async throws
        -> (Int, [String: ClaimValue]?)
    {
        let (status, data) = try await fetch(method, url, headers: headers, form: form)
        return (status, try? JSONDecoder().decode([String: ClaimValue].self, from: data))
    }

    private func fetch(_ method: String, _ url: String, headers: [(String, String)] = [], form: [String: String]? = nil) async throws
        -> (Int, Data)
    {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: "identity-harness-mock-rp (\(profile.clientID))")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: URLEncoding.query(form.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            // An https provider it cannot verify: the host and the reason, not a bare failure.
            if let failure = OutboundHTTP.tlsFailure(in: error, url: url) { throw failure }
            throw error
        }
        do {
            return (Int(response.status.code), Data(buffer: try await response.body.collect(upTo: 1024 * 1024)))
        } catch is NIOTooManyBytesError {
            // Not the 413 Hummingbird would make of it: the provider's answer was too large.
            throw MockError(.mockInternalError, value: url, detail: "the answer from \(url) is over 1 MiB")
        }
    }

    private func record(_ action: String, _ observation: RPObservation) -> Response {
        var observation = observation
        if observation.action != action && !["callback"].contains(observation.action) {
            observation.action = action
        }
        return record(observation)
    }

    func record(_ observation: RPObservation) -> Response {
        state.withLock { $0.observations.append(observation) }
        let summary = observation.error.map { "<p>error: <code data-observe=\"error\">\(MarkupEscaping.attribute($0))</code></p>" }
            ?? "<p>subject: <strong data-observe=\"sub\">\(MarkupEscaping.attribute(observation.idToken?.sub ?? ""))</strong></p>"
        return MockHTTP.page("rp-result", title: "mock RP", "<h1>\(MarkupEscaping.attribute(observation.action))</h1>" + summary)
    }

    static func refused(_ code: String) -> RPObservation {
        var observation = RPObservation(action: "refused")
        observation.error = code
        return observation
    }
}

/// What a provider does wrong at any of the RP's actions — metadata it cannot use, keys it
/// cannot read, an endpoint it does not offer — is an observation like any other: recorded
/// with its code and detail, the action's result page shown, never an error response.
struct ProviderFailures<Context: RequestContext>: RouterMiddleware {
    let party: MockRelyingParty

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as JOSEError {
            var observation = RPObservation(action: String(request.uri.path.dropFirst()).replacingOccurrences(of: "/", with: "-"))
            observation.error = error.code.rawValue
            observation.errorDescription = error.detail
            return party.record(observation)
        }
    }
}

extension RPObservation {
    /// Takes the token endpoint fields of another observation.
    mutating func merge(_ other: RPObservation) {
        status = other.status
        error = other.error
        errorDescription = other.errorDescription
        tokenType = other.tokenType
        expiresIn = other.expiresIn
        scope = other.scope
        refreshTokenIssued = other.refreshTokenIssued
        idTokenIssued = other.idTokenIssued
        idToken = other.idToken
    }
}
