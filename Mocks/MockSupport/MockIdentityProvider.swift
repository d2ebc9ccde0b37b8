public import Foundation
public import HTTPServing
public import Hummingbird
public import IdentityCore
public import Logging
import OIDC
public import OutboundHTTP
import AsyncHTTPClient
import SAML
import StrictYAML
import Synchronization
import XMLSecurity
import _CryptoExtras

/// A mock federated identity provider: OpenID Connect, SAML 2.0, or shaped like Google,
/// Microsoft, Facebook or GitHub (the profile's `kind`). A person picks a test user on
/// its login page; a relying party gets that user's claims back — or, with a fault
/// switched on, an answer a careful relying party must refuse (FE-3). Every request it
/// receives is recorded (`GET /observations`). It speaks only the wire protocols.
public final class MockIdentityProvider: Sendable {
    public let profile: IdPProfile
    let placeholders: Placeholders
    let clock: any WallClock
    let random: any RandomSource
    /// JWT keys: the trusted one (published in the JWKS) and, for `unknown-key`, the forgery.
    /// The keys tokens are signed with now, and those rotated out still published until
    /// their grace period ends (`POST /_mock/keys/rotate`).
    let signingKeys: Mutex<RotatingKeys>
    var tokenKeys: ServerSigningKeys { signingKeys.withLock { $0.current } }
    let forgedTokenKeys: ForgedJWTSigner
    /// SAML keys.
    let samlSigning: SigningCredential
    /// The attacker's keys, for faults and attacks: read from the profile's files, or
    /// found in the background while the mock starts.
    let forgery: BackgroundCredential
    var samlForgery: SigningCredential { get throws { try forgery.value } }
    let address = ListeningAddress()
    let state: Mutex<State>
    /// The debugger's calls, trusting the CAs given besides the system's.
    let outboundClient: HTTPClient

    /// A login waiting at the login page.
    enum Pending: Sendable {
        case oauth(OAuthRequest)
        case saml(SAMLRequestContext)
        /// A device grant's verification, by its device code.
        case device(String)
    }

    struct State {
        var pending: [String: Pending] = [:]
        var codes: [String: IssuedCode] = [:]
        var accessTokens: [String: IssuedToken] = [:]
        /// Refresh tokens (generic OIDC kind, `offline_access`), by value.
        var refreshTokens: [String: IssuedRefreshToken] = [:]
        var refreshTokenOrder: [String] = []
        /// JWT bearer assertions' `jti`s already used, each until its assertion expires.
        var usedAssertionIDs: [String: Date] = [:]
        var assertionSweepAt = MockIdentityProvider.retained
        /// Device grants by device code (each holds its user code).
        var devices: [String: DeviceGrant] = [:]
        var deviceOrder: [String] = []
        /// The order logins waited at the page and codes were issued in (both bounded), and
        /// the usernames typed in at the login page, oldest first.
        var pendingOrder: [String] = []
        var codeOrder: [String] = []
        var typedUsers: [String] = []
        /// Any-client mode: the origins each client's redirect URIs had (for logout).
        var clientOrigins: [String: [String]] = [:]
        var clientOriginOrder: [String] = []
        /// Logins started at `/_mock/debugger`, by their `state`.
        var debuggerSessions: [String: DebuggerSession] = [:]
        var debuggerOrder: [String] = []
        var faults: Set<IdPFault>
        var users: [IdPProfile.TestUser]
        /// The test user every login is completed as, if any (`autoLogin`).
        var autoLogin: String?
        /// The catalogue entry served instead of every genuine message (`attack`).
        var attack: String?
        var observations: [IdPObservation] = []
        /// Every observation ever recorded, including those forgotten since.
        var recorded = 0
        /// The order `accessTokens` were issued in, so the oldest can be forgotten.
        var accessTokenOrder: [String] = []
        /// SAML: the last Response sent, for the `replay` fault.
        var lastSAMLResponse: (xml: String, acs: String, relayState: String?)?
        /// OIDC: the last ID token issued, for the `replay` fault.
        var lastIDToken: String?
        /// SAML: the last person signed in at an SP, for an IdP-initiated logout.
        var lastSAMLLogin: SAMLLogin?
        /// SAML: this IdP's LogoutRequests not answered yet, and the last one sent.
        var outstandingLogouts: Set<String> = []
        var lastLogoutRequest: (LogoutRequest, IdPProfile.ServiceProvider)?

        init(_ profile: IdPProfile) {
            faults = Set(profile.faults)
            users = profile.users
            autoLogin = profile.autoLogin
            attack = profile.attack
        }
    }

    /// `outbound`: the CAs the debugger's https calls trust besides the system's.
    /// `keys`: the keys it signs with and forges with, already read (the built-in
    /// provider's kept keys, ``KeptDeveloperKeys``), in place of the profile's key files.
    public init(
        profile: IdPProfile, keys: KeptDeveloperKeys.Keys? = nil, directory: URL, placeholders: Placeholders, clock: any WallClock,
        random: any RandomSource, outbound: OutboundTrust = .system
    ) async throws {
        self.outboundClient = try OutboundHTTP.client(outbound)
        self.profile = profile
        self.placeholders = placeholders
        self.clock = clock
        self.random = random
        // Key files are read now, so a bad one fails the start. Keys neither given nor
        // named are searched for side by side (RSAKeySearch): the signing key, which the
        // first answers need, is the first found; a missing attacker key, used only by
        // faults and attacks, is the next, and the mock does not wait for it.
        let now = clock.now
        let signing = try keys?.signing ?? profile.signing?.credential(relativeTo: directory)
        let attacker = try keys?.attacker ?? profile.forgery?.credential(relativeTo: directory)
        let search = RSAKeySearch(count: (signing == nil ? 1 : 0) + (attacker == nil ? 1 : 0))
        if let signing {
            samlSigning = signing
        } else {
            samlSigning = try SigningCredential.generated(key: await search.nextKey(), name: "mock-idp", now: now)
        }
        if let attacker {
            guard case .rsa = attacker.key else {
                throw MockError(.mockProfileInvalid, field: "forgery", detail: "a mock IdP's attacker key is an RSA key")
            }
            forgery = BackgroundCredential(ready: attacker)
        } else {
            forgery = BackgroundCredential(next: search, name: "mock-idp attacker", now: now)
        }
        guard case .rsa(let key) = samlSigning.key else {
            throw MockError(.mockProfileInvalid, field: "signing", detail: "a mock IdP signs with RSA keys")
        }
        let tokenKeys = try await ServerSigningKeys(rsa: key, ec: nil)
        signingKeys = Mutex(RotatingKeys(current: tokenKeys))
        forgedTokenKeys = ForgedJWTSigner(posingAs: tokenKeys.jwks.keys.first { $0.alg == "RS256" }?.kid ?? "")
        state = Mutex(State(profile))
        if let attack = profile.attack { try checkAttack(attack) }
    }

    public var baseURL: String { address.url }

    /// The certificate its SAML messages are signed under, PEM.
    public var signingCertificatePEM: String {
        let base64 = samlSigning.certificateBase64
        let lines = stride(from: 0, to: base64.count, by: 64).map { offset in
            String(base64.dropFirst(offset).prefix(64))
        }
        return "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
    }

    /// Its base URL (issuers, endpoints, metadata) is `url` rather than where it listens.
    public func pinPublicURL(_ url: String) {
        address.pin(url.hasSuffix("/") ? String(url.dropLast()) : url)
    }
    public var observations: [IdPObservation] { state.withLock { $0.observations } }

    /// A mark for `observations(since:)`: how many observations were ever recorded.
    public var observationMark: Int { state.withLock { $0.recorded } }

    /// The observations recorded after `mark` was taken (those still kept): counted by the
    /// total ever recorded, so dropping the oldest in between does not shift the slice.
    public func observations(since mark: Int) -> [IdPObservation] {
        state.withLock { state in
            let forgotten = state.recorded - state.observations.count
            return Array(state.observations.dropFirst(max(0, mark - forgotten)))
        }
    }
    var faults: Set<IdPFault> { state.withLock { $0.faults } }

    /// The time a token or assertion is issued at, as the faults in force make it: two
    /// hours ago for `expired`, an hour ahead for `not-yet-valid`.
    func faultedNow(_ faults: Set<IdPFault>) -> Date {
        var now = clock.now
        if faults.contains(.expired) { now = now.addingTimeInterval(-2 * 3600) }
        if faults.contains(.notYetValid) { now = now.addingTimeInterval(3600) }
        return now
    }

    /// `{server}` and `{idp}` (this mock's own URL) in profile values.
    func resolve(_ text: String) throws -> String {
        var values = placeholders
        values.values["idp"] = baseURL
        return try values.substitute(text)
    }

    public func application(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, logger: Logger = MockServiceProvider.logger(), tap: TrafficTap? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        MockHTTP.application(
            router: router(), serverName: "mock-idp", host: host, port: port, tls: tls, logger: logger, address: address, tap: tap, onListening: onListening)
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        switch profile.kind {
        case .saml: addSAMLRoutes(to: router)
        case .oidc, .google, .microsoft, .facebook, .github:
            addOAuthRoutes(to: router)
            addDebuggerRoutes(to: router)
        }
        addMintingRoutes(to: router)
        router.post("/_mock/login") { request, _ in try await self.login(request) }
        router.get("/observations") { _, _ in try MockHTTP.json(["observations": self.observations]) }
        router.get("/_mock/users") { _, _ in try MockHTTP.json(["users": self.state.withLock { $0.users.map(\.username) }]) }
        router.post("/_mock/users") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            // JSON is read as the YAML it also is, so a test user's claims take the same
            // shapes as in a profile file.
            let user: IdPProfile.TestUser
            do {
                user = try StrictYAML.decode(IdPProfile.TestUser.self, from: Data(buffer: body), file: "request body")
            } catch {
                throw MockError(.mockBadOption, field: "body", detail: "not a test user (username, id, claims): \(error)")
            }
            try self.state.withLock { state in
                guard !state.users.contains(where: { $0.username == user.username }) else {
                    throw MockError(.mockBadOption, field: "username", value: user.username, detail: "a test user of that name exists")
                }
                state.users.append(user)
            }
            return Response(status: .created)
        }
        // A test user's claims changed at the IdP (form fields: claim=value; empty removes).
        router.post("/_mock/users/:username/claims") { request, context in
            var request = request
            let username = try context.parameters.require("username")
            let body = try await request.collectBody(upTo: 64 * 1024)
            let changes = URLEncoding.pairs(String(buffer: body))
            try self.state.withLock { state in
                guard let index = state.users.firstIndex(where: { $0.username == username }) else {
                    throw MockError(.mockBadOption, field: "username", value: username, detail: "no such test user")
                }
                guard case .object(var pairs) = state.users[index].claims else { return }
                for change in changes {
                    pairs.removeAll { $0.0 == change.name }
                    if !change.value.isEmpty { pairs.append((change.name, .string(change.value))) }
                }
                state.users[index].claims = .object(pairs)
            }
            return MockHTTP.page("idp-control", title: "mock IdP", "<p data-observe=\"changed\">\(MarkupEscaping.attribute(username))</p>")
        }
        router.get("/_mock/faults") { _, _ in try MockHTTP.json(["faults": self.faults.map(\.rawValue).sorted()]) }
        // JSON `{"faults": [...]}`, or a form `faults=a,b` (a scenario's post step).
        router.post("/_mock/faults") { request, _ in
            var request = request
            let isJSON = request.headers[.contentType]?.contains("json") == true
            let body = try await request.collectBody(upTo: 64 * 1024)
            let faults: [IdPFault]
            if isJSON {
                faults = try JSONDecoder().decode([String: [IdPFault]].self, from: Data(buffer: body))["faults"] ?? []
            } else {
                let names = URLEncoding.pairs(String(buffer: body)).first { $0.name == "faults" }?.value ?? ""
                faults = try names.split(separator: ",").map { name in
                    guard let fault = IdPFault(rawValue: String(name)) else {
                        throw MockError(.mockBadOption, field: "faults", value: String(name), detail: "no such fault; see IdPFault")
                    }
                    return fault
                }
            }
            self.state.withLock { $0.faults = Set(faults) }
            return MockHTTP.page("idp-control", title: "mock IdP", "<p data-observe=\"faults\">\(faults.map(\.rawValue).sorted().joined(separator: ","))</p>")
        }
        // Key rotation on demand: a fresh RSA key signs from now on; the old one stays in
        // the JWKS for `grace` seconds (default 3600, form or JSON), so tokens already
        // issued still verify — what a relying party's JWKS cache must cope with.
        router.post("/_mock/keys/rotate") { request, _ in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            // A form field, or a JSON number or string.
            let text: String
            if request.headers[.contentType]?.hasPrefix("application/json") == true {
                guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
                    throw MockError(.mockBadOption, field: "body", detail: "expected {\"grace\": seconds}")
                }
                text = (object["grace"] as? NSNumber)?.stringValue ?? (object["grace"] as? String) ?? ""
            } else {
                text = URLEncoding.pairs(body).first { $0.name == "grace" }?.value ?? ""
            }
            guard let grace = text.isEmpty ? 3_600 : Int(text), (0...604_800).contains(grace) else {
                throw MockError(.mockBadOption, field: "grace", value: text, detail: "seconds, 0 to 604800")
            }
            let kid = try await self.rotateKeys(grace: grace)
            return try MockHTTP.json(["kid": kid, "grace": String(grace)])
        }
        router.post("/_mock/reset") { _, _ in
            self.reset()
            return Response(status: .noContent)
        }
        router.get("/_mock/attack") { _, _ in try MockHTTP.json(["attack": self.state.withLock { $0.attack } ?? ""]) }
        // JSON `{"attack": "xsw3-…"}` or a form `attack=…`; empty turns it off.
        router.post("/_mock/attack") { request, _ in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            guard let name = MockHTTP.formOrJSONValue(body, key: "attack", json: request.headers[.contentType]?.hasPrefix("application/json") == true) else {
                throw MockError(.mockBadOption, field: "body", detail: "expected {\"attack\": \"<catalogue entry>\"}")
            }
            try self.arm(attack: name.isEmpty ? nil : name)
            return MockHTTP.page("idp-control", title: "mock IdP", "<p data-observe=\"attack\">\(MarkupEscaping.attribute(name))</p>")
        }
        router.get("/_mock/auto-login") { _, _ in try MockHTTP.json(["user": self.state.withLock { $0.autoLogin } ?? ""]) }
        // JSON `{"user": "alice"}` or a form `user=alice`; an empty user turns it off.
        router.post("/_mock/auto-login") { request, _ in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            guard let name = MockHTTP.formOrJSONValue(body, key: "user", json: request.headers[.contentType]?.hasPrefix("application/json") == true) else {
                throw MockError(.mockBadOption, field: "body", detail: "expected {\"user\": \"<test user>\"}")
            }
            try self.arm(autoLogin: name.isEmpty ? nil : name)
            return MockHTTP.page("idp-control", title: "mock IdP", "<p data-observe=\"autoLogin\">\(MarkupEscaping.attribute(name))</p>")
        }
        return router
    }

    // MARK: arming it from Swift (the app runner) or its control routes

    /// Back to the profile: its faults, users, autoLogin and attack; pending logins,
    /// codes, tokens and the remembered Response / ID token forgotten. Observations stay.
    public func reset() {
        state.withLock { state in
            let (observations, recorded) = (state.observations, state.recorded)
            state = State(profile)
            (state.observations, state.recorded) = (observations, recorded)
        }
        signingKeys.withLock { $0.reset() }
    }

    /// A fresh RSA key signs from now on; the old one stays in the JWKS for `grace` seconds,
    /// so tokens already issued still verify. Returns the new key's `kid`.
    @discardableResult
    public func rotateKeys(grace: Int = 3_600) async throws -> String {
        let fresh = try await ServerSigningKeys(rsa: try _RSA.Signing.PrivateKey(keySize: .bits2048), ec: nil)
        let now = clock.now
        return signingKeys.withLock { keys in
            keys.rotate(to: fresh, keepingUntil: now.addingTimeInterval(TimeInterval(grace)), now: now)
            return keys.current.jwks.keys.first?.kid ?? ""
        }
    }

    /// Turns faults on (replacing the set).
    public func arm(faults: [IdPFault]) {
        state.withLock { $0.faults = Set(faults) }
    }

    /// Serves one catalogue entry in place of every genuine message (nil: none).
    public func arm(attack: String?) throws {
        if let attack { try checkAttack(attack) }
        state.withLock { $0.attack = attack }
    }

    /// Completes every login as this test user with no page (nil: show the page).
    public func arm(autoLogin name: String?) throws {
        try state.withLock { state in
            guard name == nil || state.users.contains(where: { $0.username == name }) else {
                throw MockError(.mockBadOption, field: "user", value: name, detail: "no test user of that name")
            }
            state.autoLogin = name
        }
    }

    /// Adds a test user (replacing one of the same username).
    public func add(user: IdPProfile.TestUser) {
        state.withLock { state in
            state.users.removeAll { $0.username == user.username }
            state.users.append(user)
        }
    }

    /// The entries this kind can serve live: SAML Responses for the SAML kind, ID tokens
    /// for the OAuth kinds (only the OIDC-shaped ones carry an ID token).
    public var attackNames: [String] {
        get throws {
            switch profile.kind {
            case .saml: try SAMLAttackCatalogue(SAMLAttackCatalogue.Context(signing: samlSigning, attacker: try samlForgery)).entries().map(\.name)
            default: try JWTAttackCatalogue(jwtContext()).entries().map(\.name)
            }
        }
    }

    /// Whether the catalogue has the entry. SAML builds only the entry named (one
    /// signature, none for an unknown name), not the thirty `attackNames` signs, since
    /// this runs on every arming.
    func checkAttack(_ name: String) throws {
        let known = switch profile.kind {
        case .saml: try SAMLAttackCatalogue(SAMLAttackCatalogue.Context(signing: samlSigning, attacker: try samlForgery)).entry(named: name) != nil
        default: try attackNames.contains(name)
        }
        guard known else {
            throw MockError(.mockBadOption, field: "attack", value: name, detail: "no such entry in the \(profile.kind == .saml ? "SAML" : "JWT") attack catalogue (mock-idp attacks lists them)")
        }
    }

    // MARK: the login page

    /// The page a person sees: one button per test user; a username to type with a JSON
    /// object of extra claims (mock-oauth2-server's login page); and Cancel. A scenario
    /// presses `submit: {user: alice}`, fills `{username: …, claims: …}`, or
    /// `submit: {action: deny}`.
    func loginPage(pendingID: String, client: String) -> Response {
        let users = state.withLock { $0.users }
        let buttons = users.map { user in
            "<p><button type=\"submit\" name=\"user\" value=\"\(MarkupEscaping.attribute(user.username))\">\(MarkupEscaping.attribute(user.username))</button></p>"
        }.joined()
        return MockHTTP.page(
            "idp-login", title: "mock \(profile.kind.rawValue) IdP",
            """
            <h1>Sign in (mock <span data-observe="idp">\(profile.kind.rawValue)</span> identity provider)</h1>
            <p>for <strong data-observe="client">\(MarkupEscaping.attribute(client))</strong> — pick a test user:</p>
            <form method="post" action="/_mock/login">
            <input type="hidden" name="request" value="\(pendingID)">
            \(buttons)
            <p><button type="submit" name="action" value="deny">Cancel</button></p>
            </form>
            \(profile.kind == .oidc ? anyoneForm(pendingID: pendingID) : "")
            """)
    }

    /// The generic kind's second form: any username, with extra claims. The provider-shaped
    /// kinds keep the page their scenarios recorded: one button per test user.
    func anyoneForm(pendingID: String) -> String {
        """
        <form method="post" action="/_mock/login">
        <input type="hidden" name="request" value="\(pendingID)">
        <p>— or sign in as anyone: <label>username <input name="username" autocomplete="off"></label></p>
        <p><label>extra claims (a JSON object)<br><textarea name="claims" rows="4" cols="48">{}</textarea></label></p>
        <p><button type="submit" name="action" value="sign-in">Sign in</button></p>
        </form>
        """
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await MockHTTP.form(request)
        // Everything the person sent is checked before the login request is spent, so a
        // typo (bad JSON, an unknown user) can be mended with the back button.
        let extra: ConfigValue
        do {
            extra = profile.kind == .oidc ? try Self.typedClaims(form["claims"]) : .object([])
        } catch {
            return Self.errorPage("the extra claims are not a JSON object: \(error)")
        }
        let typed = profile.kind == .oidc ? form["username"].flatMap { $0.isEmpty ? nil : $0 } : nil
        let denied = form["action"] == "deny"
        // The person is found once, and that is who signs in (a reset in between changes nothing).
        let picked = denied || typed != nil ? nil : user(named: form["user"] ?? "")
        if !denied, typed == nil, picked == nil {
            return Self.errorPage(form["action"] == "sign-in" ? "type a username to sign in as" : "no such test user")
        }
        guard let id = form["request"], let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else {
            return Self.errorPage("unknown or finished login request")
        }
        let user = denied ? nil : typed.map(signInAnyone) ?? picked
        let extraClaims = Self.claims(extra)
        switch pending {
        case .oauth(let authorization): return try await finishAuthorization(authorization, user: user, extraClaims: extraClaims)
        case .device(let deviceCode): return finishDevice(deviceCode, user: user, extraClaims: extraClaims)
        case .saml(let context): return try await finishSSO(context, user: user)
        }
    }

    /// How many people typed in at the login page a mock keeps as test users: the oldest
    /// are forgotten past this (those of the profile never are).
    static let typedUsersKept = 1_000

    /// A username typed at the login page: the test user of that username or id, or a new
    /// one of that name (its `sub` the name), kept until a reset so the tokens of this login
    /// can find it.
    func signInAnyone(_ username: String) -> IdPProfile.TestUser {
        state.withLock { state in
            if let known = state.users.first(where: { $0.username == username || $0.id == username }) { return known }
            let user = IdPProfile.TestUser(username: username, id: username, claims: .object([]))
            state.users.append(user)
            state.typedUsers.append(username)
            if state.typedUsers.count > Self.typedUsersKept {
                let forgotten = state.typedUsers.removeFirst()
                state.users.removeAll { $0.username == forgotten }
            }
            return user
        }
    }

    /// The login page's extra claims: empty, or a JSON object (read as the YAML it also is,
    /// so its values take the same shapes as a profile's claims).
    static func typedClaims(_ text: String?) throws -> ConfigValue {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .object([]) }
        let value = try StrictYAML.decode(ConfigValue.self, from: Data(text.utf8), file: "claims")
        guard case .object = value else { throw MockError(.mockBadOption, field: "claims", detail: "not an object") }
        return value
    }

    func record(_ observation: IdPObservation) {
        var observation = observation
        let faults = self.faults
        if !faults.isEmpty { observation.faults = faults.map(\.rawValue).sorted() }
        state.withLock { state in
            state.observations.append(observation)
            state.recorded += 1
            Self.forgetOldest(&state.observations)
        }
    }

    /// How many observations and access tokens a mock keeps: a scenario reads a handful,
    /// and a mock left running under load (`Benchmarks/run`, a developer's laptop for a
    /// week) must not grow without end. Past this, the oldest tenth is dropped at once.
    static var retained: Int { 10_000 }

    static func forgetOldest<Element>(_ items: inout [Element]) {
        if items.count > retained { items.removeFirst(retained / 10) }
    }

    func user(named username: String) -> IdPProfile.TestUser? {
        state.withLock { $0.users.first { $0.username == username } }
    }

    /// The test user a login is completed as without a page (`autoLogin`), if one is set.
    var autoLoginUser: IdPProfile.TestUser? {
        state.withLock { state in state.autoLogin.flatMap { name in state.users.first { $0.username == name } } }
    }

    static func errorPage(_ message: String) -> Response {
        var response = MockHTTP.page("idp-error", title: "mock IdP", "<p data-observe=\"error\">\(MarkupEscaping.attribute(message))</p>")
        response.status = .badRequest
        return response
    }
}
