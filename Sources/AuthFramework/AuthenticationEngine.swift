import Foundation
public import IdentityCore
public import IdentityStorage
import Crypto

/// Runs an SP's login flow: authenticate (SSO session reuse, AU-6; the default one-step
/// basic sequence, AU-3; one generic failure, AU-5) → mandatory claims (CL-3) → consent
/// (CL-4) → the result in the SP's claim dialect. It returns actions and knows no HTTP
/// and no protocol.
public struct AuthenticationEngine: Sendable {
    public let storage: Storage
    public let clock: any WallClock
    public let random: any RandomSource
    public let hasher: PasswordHasher
    public let settings: AuthenticationSettings

    public init(storage: Storage, clock: any WallClock, random: any RandomSource, hasher: PasswordHasher, settings: AuthenticationSettings) {
        self.storage = storage
        self.clock = clock
        self.random = random
        self.hasher = hasher
        self.settings = settings
    }

    /// Records a new flow for `request` and binds it to this browser. The HTTP layer then
    /// sends the browser to the flow's page with a top-level GET, where `resume` runs:
    /// that GET carries SameSite=Lax cookies even when the request arrived as a
    /// cross-site POST, so SSO (AU-6) works with every binding.
    public func start(_ request: AuthenticationRequest, browserBinding: String?) async throws -> FlowStart {
        let serviceProvider = try await storage.serviceProviders.get(name: request.serviceProvider)
        let binding = browserBinding ?? random.token()
        let now = clock.now
        let flow = AuthenticationFlowState(
            id: random.token(), serviceProvider: serviceProvider.name, inboundProtocol: request.inboundProtocol,
            inboundContext: request.inboundContext, csrfToken: random.token(), browserBinding: Self.digest(binding),
            createdAt: now, expiresAt: now.addingTimeInterval(settings.flowLifetime),
            forceAuthentication: request.forceAuthentication, passive: request.passive,
            maximumAuthenticationAge: request.maximumAuthenticationAge, forceConsent: request.forceConsent)
        try await storage.flows.create(flow)
        return FlowStart(flowID: flow.id, newBrowserBinding: browserBinding == nil ? binding : nil)
    }

    /// Continues a flow from its page: completes it from a live session (AU-6) unless
    /// authentication is forced, fails a passive request without one, else shows login.
    /// A flow already past authentication shows its current page again.
    public func resume(flowID: String, sessionToken: String?, browserBinding: String?) async throws -> FlowOutcome {
        let flow = try await ownedFlow(flowID, browserBinding: browserBinding)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        if flow.stage != .authenticate {
            return try await page(for: flow, serviceProvider: serviceProvider, newSessionToken: nil)
        }
        if !flow.forceAuthentication, let session = try await liveSession(sessionToken),
            flow.maximumAuthenticationAge.map({ clock.now.timeIntervalSince(session.authenticatedAt) <= $0 }) ?? true,
            let user = try? await storage.users.get(id: session.userID), !user.locked
        {
            return try await authenticated(
                flow, user: user, serviceProvider: serviceProvider, sessionID: session.id, authenticatedAt: session.authenticatedAt,
                newSessionToken: nil)
        }
        if flow.passive {
            try await storage.flows.delete(id: flow.id)
            return FlowOutcome(
                action: .fail(AuthError(.authNoPassive, detail: "a passive request needs a live session and there is none"), flow: flow.reference))
        }
        return FlowOutcome(action: .login(LoginPage(flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name)))
    }

    /// Checks a posted login form. Any failure to authenticate re-shows the form with the
    /// same message, whether the username exists or not.
    public func submitLogin(
        flowID: String, csrfToken: String, username: String, password: String, browserBinding: String?, sessionToken: String? = nil
    ) async throws -> FlowOutcome {
        let flow = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .authenticate)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)

        // The attempt is counted before the password is checked, in one compare-and-swap,
        // so parallel guesses cannot all slip under the limit.
        let counted = try await storage.flows.update(id: flow.id) { old in
            var new = old
            new.attempts += 1
            return new
        }
        if counted.attempts > settings.maximumAttempts {
            try await storage.flows.delete(id: flow.id)
            return FlowOutcome(
                action: .fail(AuthError(.authTooManyAttempts, detail: "\(settings.maximumAttempts) failed attempts in one login"), flow: flow.reference))
        }
        guard let user = try await authenticate(username: username, password: password) else {
            if counted.attempts >= settings.maximumAttempts {
                try await storage.flows.delete(id: flow.id)
                return FlowOutcome(
                    action: .fail(AuthError(.authTooManyAttempts, detail: "\(counted.attempts) failed attempts in one login"), flow: flow.reference))
            }
            return FlowOutcome(
                action: .login(
                    LoginPage(
                        flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name, error: LoginPage.failureMessage,
                        username: username)))
        }

        // A new session (and token) at every login: a token planted before login is never
        // promoted to an authenticated session, and the browser's previous session ends.
        if let previous = sessionToken, let old = try await storage.sessions.get(id: Self.digest(previous)) {
            try await storage.sessions.delete(id: old.id)
        }
        let token = random.token()
        let now = clock.now
        let session = SSOSession(
            id: Self.digest(token), userID: user.id, authenticatedAt: now, expiresAt: now.addingTimeInterval(settings.sessionLifetime),
            authenticators: ["basic"])
        try await storage.sessions.create(session)
        return try await authenticated(
            flow, user: user, serviceProvider: serviceProvider, sessionID: session.id, authenticatedAt: now, newSessionToken: token)
    }

    /// Checks a username and password outside a flow (the OAuth password grant): the same
    /// lookup, lock and cost rules as the login form.
    public func verifyCredentials(username: String, password: String) async throws -> User? {
        try await authenticate(username: username, password: password)
    }

    /// Ends the SSO session whose cookie value is `token`, if there is one.
    public func endSession(token: String) async throws {
        if let session = try await storage.sessions.get(id: Self.digest(token)) {
            try await storage.sessions.delete(id: session.id)
        }
    }

    /// Notes that an SP received a login from this session (for single logout).
    public func recordParticipant(sessionID: String, _ participant: SessionParticipant) async throws {
        try await storage.sessions.update(id: sessionID) { old in
            var new = old
            new.participants.removeAll { $0.serviceProvider == participant.serviceProvider }
            new.participants.append(participant)
            return new
        }
    }

    // MARK: flows and sessions

    func liveSession(_ token: String?) async throws -> SSOSession? {
        guard let token, let session = try await storage.sessions.get(id: Self.digest(token)) else { return nil }
        guard session.expiresAt > clock.now else {
            try? await storage.sessions.delete(id: session.id)
            return nil
        }
        return session
    }

    /// The flow, if it exists, is live and belongs to this browser.
    func ownedFlow(_ flowID: String, browserBinding: String?) async throws -> AuthenticationFlowState {
        guard let flow = try await storage.flows.get(id: flowID), flow.expiresAt > clock.now else {
            throw AuthError(.authFlowExpired, detail: "the login has expired or never existed; start again from the application")
        }
        guard let browserBinding, ConstantTime.equals(Self.digest(browserBinding), flow.browserBinding) else {
            throw AuthError(.authFlowNotYours, detail: "this login was started in another browser")
        }
        return flow
    }

    /// The owned flow, when the form's CSRF token is the current one and the form belongs
    /// to the stage the flow is at (a later step cannot be reached by posting to it).
    func verifiedFlow(_ flowID: String, csrfToken: String, browserBinding: String?, stage: AuthenticationFlowState.Stage) async throws
        -> AuthenticationFlowState
    {
        let flow = try await ownedFlow(flowID, browserBinding: browserBinding)
        guard ConstantTime.equals(csrfToken, flow.csrfToken) else {
            throw AuthError(.authCSRFInvalid, field: "csrf", detail: "the form's CSRF token is missing, old or wrong")
        }
        guard flow.stage == stage else {
            throw AuthError(
                .authUnexpectedForm, value: stage.rawValue, detail: "this login is at its \(flow.stage.rawValue) step, not \(stage.rawValue)")
        }
        return flow
    }

    /// The user these credentials belong to, or nil. Costs one hash either way.
    private func authenticate(username: String, password: String) async throws -> User? {
        guard let login = try? LoginIdentifier(parsing: username, knownTenants: settings.tenants) else {
            hasher.verifyAgainstNothing(password)
            return nil
        }
        let stores = login.userStore.map { [$0] } ?? settings.userStores
        var found: User?
        for store in stores {
            if let user = try await storage.users.find(UserIdentifier(tenant: login.tenant, userStore: store, username: login.username)) {
                found = user
                break
            }
        }
        guard let user = found, let hash = user.passwordHash, !user.locked else {
            hasher.verifyAgainstNothing(password)
            return nil
        }
        return hasher.verify(password, against: hash) ? user : nil
    }

    /// SHA-256, hex: how session and binding tokens are stored.
    static func digest(_ token: String) -> String {
        hex(SHA256.hash(data: Array(token.utf8)))
    }
}

extension AuthenticationFlowState {
    var reference: FlowReference {
        FlowReference(serviceProvider: serviceProvider, inboundProtocol: inboundProtocol, inboundContext: inboundContext)
    }
}
