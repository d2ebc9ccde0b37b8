import Foundation
public import IdentityCore
public import IdentityStorage
import Crypto

/// Runs an SP's login flow: its authentication sequence (AU-1: steps of local or
/// federated options; AU-2: subject and attributes steps; AU-4: request-path
/// credentials; SSO session reuse, AU-6; the default one-step basic sequence, AU-3; one
/// generic failure, AU-5), JIT provisioning of federated people (JIT-1 … JIT-8) →
/// mandatory claims (CL-3) → consent (CL-4) → the result in the SP's claim dialect. It
/// returns actions and knows no HTTP and no protocol: federated IdPs are reached through
/// the connectors it is handed.
public struct AuthenticationEngine: Sendable {
    public let storage: Storage
    public let clock: any WallClock
    public let random: any RandomSource
    public let hasher: PasswordHasher
    public let settings: AuthenticationSettings
    public let connectors: ConnectorRegistry
    /// Told of federated logins by people with an account here (outbound provisioning, PR-2).
    public let accountEvents: (any AccountEvents)?
    /// AU-7: failed password checks per client address, for this engine's lifetime.
    let throttle: AddressThrottle

    public init(
        storage: Storage, clock: any WallClock, random: any RandomSource, hasher: PasswordHasher, settings: AuthenticationSettings,
        connectors: ConnectorRegistry = .none, accountEvents: (any AccountEvents)? = nil
    ) {
        self.accountEvents = accountEvents
        self.storage = storage
        self.clock = clock
        self.random = random
        self.hasher = hasher
        self.settings = settings
        self.connectors = connectors
        self.throttle = AddressThrottle(limit: settings.addressLimit)
    }

    /// Records a new flow for `request` and binds it to this browser. The HTTP layer then
    /// sends the browser to the flow's page with a top-level GET, where `resume` runs:
    /// that GET carries SameSite=Lax cookies even when the request arrived as a
    /// cross-site POST, so SSO (AU-6) works with every binding.
    ///
    /// AU-4: credentials that came with the request pass the first step (it must offer
    /// `basic`) when the SP allows request-path authentication; wrong ones leave the
    /// login page to say so. They are checked here (with their client's address, AU-7)
    /// and never stored.
    public func start(_ request: AuthenticationRequest, browserBinding: String?) async throws -> FlowStart {
        let serviceProvider = try await storage.serviceProviders.get(name: request.serviceProvider)
        let binding = browserBinding ?? random.token()
        let now = clock.now
        var flow = AuthenticationFlowState(
            id: random.token(), serviceProvider: serviceProvider.name, inboundProtocol: request.inboundProtocol,
            inboundContext: request.inboundContext, csrfToken: random.token(), browserBinding: Self.digest(binding),
            createdAt: now, expiresAt: now.addingTimeInterval(settings.flowLifetime),
            forceAuthentication: request.forceAuthentication, passive: request.passive,
            maximumAuthenticationAge: request.maximumAuthenticationAge, forceConsent: request.forceConsent)
        let sequence = serviceProvider.effectiveSequence
        if let credentials = request.requestPathCredentials, sequence.requestPathAuthentication,
            sequence.steps.first?.options.contains(AuthenticationSequence.basic) == true
        {
            if case .accepted(let user) = try await checkPassword(
                username: credentials.username, password: credentials.password, client: credentials.clientAddress) {
                flow.requestPathUserID = user.id
                // The credentials stand for this login only: an SSO session is not reused.
                flow.forceAuthentication = true
            } else {
                flow.requestPathFailed = true
            }
        }
        try await storage.flows.create(flow)
        return FlowStart(flowID: flow.id, newBrowserBinding: browserBinding == nil ? binding : nil)
    }

    /// Continues a flow from its page: completes it from a live session (AU-6) unless
    /// authentication is forced, fails a passive request without one, else runs the
    /// sequence's current step. A flow already past that shows its current page again.
    public func resume(flowID: String, sessionToken: String?, browserBinding: String?) async throws -> FlowOutcome {
        let flow = try await ownedFlow(flowID, browserBinding: browserBinding)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        if flow.stage != .authenticate {
            return try await page(for: flow, serviceProvider: serviceProvider, newSessionToken: nil)
        }
        if flow.completedSteps.isEmpty, !flow.forceAuthentication, let session = try await liveSession(sessionToken),
            flow.maximumAuthenticationAge.map({ clock.now.timeIntervalSince(session.authenticatedAt) <= $0 }) ?? true,
            let person = try await sessionUser(session)
        {
            return try await authenticated(
                flow, subject: person, attributes: person, serviceProvider: serviceProvider, sessionID: session.id,
                authenticatedAt: session.authenticatedAt, newSessionToken: nil)
        }
        if let userID = flow.requestPathUserID, flow.step == 0 {
            // AU-4: the first step was passed by the credentials the request brought.
            let taken = try await storage.flows.advance(id: flow.id) { old in
                var new = old
                new.requestPathUserID = nil
                return new
            }
            if try await storage.users.get(id: userID).mustChangePassword {
                return try await showPasswordChange(taken, userID: userID)
            }
            return try await stepPassed(taken, option: AuthenticationSequence.basic, user: .account(userID), serviceProvider, sessionToken: sessionToken)
        }
        if flow.passive {
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(
                action: .fail(AuthError(.authNoPassive, detail: "a passive request needs a live session and there is none"), flow: flow.reference))
        }
        return try await currentStep(flow, serviceProvider: serviceProvider, sessionToken: sessionToken)
    }

    /// Checks a posted login form. Any failure to authenticate re-shows the form with the
    /// same message, whether the username exists or not, or the account is locked (AU-5,
    /// AU-7); too many failures from `client` (its address) say so instead.
    public func submitLogin(
        flowID: String, csrfToken: String, username: String, password: String, browserBinding: String?, sessionToken: String? = nil,
        client: String? = nil
    ) async throws -> FlowOutcome {
        let flow = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .authenticate)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        guard try await options(of: flow, serviceProvider).local.contains(AuthenticationSequence.basic) else {
            throw AuthError(.authOptionUnavailable, value: AuthenticationSequence.basic, detail: "this step does not take a username and password")
        }

        let counted = try await countedAttempt(flow)
        if counted.attempts > settings.maximumAttempts { return try await tooManyAttempts(counted) }
        switch try await checkPassword(username: username, password: password, client: client) {
        case .accepted(let user):
            if user.mustChangePassword { return try await showPasswordChange(counted, userID: user.id) }
            return try await stepPassed(counted, option: AuthenticationSequence.basic, user: .account(user.id), serviceProvider, sessionToken: sessionToken)
        case .throttled:
            return try await loginPage(counted, serviceProvider, error: LoginPage.throttledMessage, username: username, throttled: true)
        case .refused:
            if counted.attempts >= settings.maximumAttempts { return try await tooManyAttempts(counted) }
            return try await loginPage(counted, serviceProvider, error: LoginPage.failureMessage, username: username)
        }
    }

    /// Counts an attempt (a password, a code) on the flow before it is checked, in one
    /// compare-and-swap, so parallel guesses cannot all slip under the limit.
    func countedAttempt(_ flow: AuthenticationFlowState) async throws -> AuthenticationFlowState {
        try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.attempts += 1
            return new
        }
    }

    /// The flow used up its attempts: it ends, and the SP hears so.
    func tooManyAttempts(_ flow: AuthenticationFlowState) async throws -> FlowOutcome {
        try await storage.flows.end(id: flow.id)
        return FlowOutcome(
            action: .fail(AuthError(.authTooManyAttempts, detail: "\(flow.attempts) failed attempts in one login"), flow: flow.reference))
    }

    /// The live SSO session whose cookie value is `token`, if any.
    public func session(token: String?) async throws -> SSOSession? {
        try await liveSession(token)
    }

    /// Whether `token` is the cookie of the session `id`.
    public static func isCookie(_ token: String?, ofSession id: String) -> Bool {
        token.map { ConstantTime.equals(digest($0), id) } ?? false
    }

    /// Ends the SSO session `id` (single logout found it by its SessionIndex). Ending one
    /// that is already gone is not an error: two logouts may race.
    public func endSession(id: String) async throws {
        do {
            try await storage.sessions.delete(id: id)
        } catch let error where error.code == .storageNotFound {
            return
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

    /// The person a live session is for: an account (unless deleted or locked since, by an
    /// admin), with how its IdP presented them when the login was federated, or the
    /// transient federated user the session keeps.
    func sessionUser(_ session: SSOSession) async throws -> FlowUser? {
        if let transient = session.transientUser { return .transient(transient) }
        guard let user = try? await storage.users.get(id: session.userID), !user.locked else { return nil }
        if let identity = session.federatedUser { return .federated(account: user.id, identity: identity) }
        return .account(user.id)
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
