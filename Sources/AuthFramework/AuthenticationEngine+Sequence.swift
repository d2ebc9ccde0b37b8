import Foundation
import IdentityCore
import IdentityStorage

/// AU-1, AU-2: the steps of an SP's sequence, each passed with one of its options, and the
/// SSO session that passing them all creates.
extension AuthenticationEngine {
    /// The usable options of the flow's current step: local authenticators, and identity
    /// providers that exist and are enabled.
    func options(of flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider) async throws
        -> (local: [String], identityProviders: [IdentityProvider])
    {
        let steps = serviceProvider.effectiveSequence.steps
        guard steps.indices.contains(flow.step) else { return ([], []) }
        var local = [String]()
        var identityProviders = [IdentityProvider]()
        for option in steps[flow.step].options {
            if AuthenticationSequence.localOptions.contains(option) {
                local.append(option)
            } else if let idp = try? await storage.identityProviders.get(name: option), idp.enabled, connectors.connector(for: idp.kind) != nil {
                identityProviders.append(idp)
            }
        }
        return (local, identityProviders)
    }

    /// Shows or starts the flow's current step: straight to the IdP when it is the step's
    /// only option, to the TOTP page when that is, else the login page listing the options.
    func currentStep(_ flow: AuthenticationFlowState, serviceProvider: ServiceProvider, sessionToken: String?) async throws -> FlowOutcome {
        let (local, identityProviders) = try await options(of: flow, serviceProvider)
        if local.isEmpty, identityProviders.count == 1, !flow.requestPathFailed {
            return try await startFederation(flow, identityProviderName: identityProviders[0].name, serviceProvider)
        }
        if local == [AuthenticationSequence.totp], identityProviders.isEmpty {
            return try await showTOTP(flow, serviceProvider)
        }
        guard !local.isEmpty || !identityProviders.isEmpty else {
            try await storage.flows.end(id: flow.id)
            throw AuthError(
                .authOptionUnavailable, value: serviceProvider.name,
                detail: "no option of step \(flow.step + 1) can be used (unknown or disabled identity providers)")
        }
        return try await loginPage(flow, serviceProvider, error: flow.requestPathFailed ? LoginPage.failureMessage : nil)
    }

    /// The login page of the current step: the password form when `basic` is an option,
    /// a button per other option.
    func loginPage(
        _ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, error: String? = nil, username: String? = nil, throttled: Bool = false
    ) async throws -> FlowOutcome
    {
        let (local, identityProviders) = try await options(of: flow, serviceProvider)
        var others = identityProviders.map { LoginPage.Option(name: $0.name, displayName: $0.description ?? $0.name) }
        if local.contains(AuthenticationSequence.totp) {
            others.append(LoginPage.Option(name: AuthenticationSequence.totp, displayName: "Authenticator app"))
        }
        return FlowOutcome(
            action: .login(
                LoginPage(
                    flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name, error: error, username: username,
                    passwordForm: local.contains(AuthenticationSequence.basic), options: others, throttled: throttled)))
    }

    /// The person picked an option on the login page (an IdP, or TOTP).
    public func chooseOption(flowID: String, csrfToken: String, option: String, browserBinding: String?) async throws -> FlowOutcome {
        let flow = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .authenticate)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        let (local, identityProviders) = try await options(of: flow, serviceProvider)
        if option == AuthenticationSequence.totp, local.contains(option) {
            return try await showTOTP(flow, serviceProvider)
        }
        guard identityProviders.contains(where: { $0.name == option }) else {
            throw AuthError(.authOptionUnavailable, value: option, detail: "this step does not offer '\(option)'")
        }
        return try await startFederation(flow, identityProviderName: option, serviceProvider)
    }

    /// A step passed with `option`, establishing `user`. The next step follows, or — after
    /// the last — a new SSO session for the subject step's person and the post-login
    /// steps (tenant rule, mandatory claims, consent).
    func stepPassed(
        _ flow: AuthenticationFlowState, option: String, user: FlowUser, _ serviceProvider: ServiceProvider, sessionToken: String?,
        federatedLogin: FederatedLogin? = nil
    ) async throws -> FlowOutcome {
        let sequence = serviceProvider.effectiveSequence
        let completed = flow.completedSteps + [.init(option: option, user: user, federatedLogin: federatedLogin)]
        if flow.step + 1 < sequence.steps.count {
            let token = random.token()
            let advanced = try await storage.flows.advance(id: flow.id) { old in
                var new = old
                new.completedSteps = completed
                new.step = old.step + 1
                new.stage = .authenticate
                new.attempts = 0
                new.federation = nil
                new.provisioning = nil
                new.enrollingSecret = nil
                new.requestPathFailed = false
                new.csrfToken = token
                return new
            }
            return try await currentStep(advanced, serviceProvider: serviceProvider, sessionToken: sessionToken)
        }
        let subject = completed[min(sequence.subjectStep, completed.count - 1)].user
        let attributes = completed[min(sequence.attributesStep, completed.count - 1)].user
        let finished = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.completedSteps = completed
            new.federation = nil
            new.provisioning = nil
            new.enrollingSecret = nil
            return new
        }
        // A new session (and token) at every login: a token planted before login is never
        // promoted to an authenticated session, and the browser's previous session ends.
        if let previous = sessionToken, let old = try await storage.sessions.get(id: Self.digest(previous)) {
            try await storage.sessions.delete(id: old.id)
        }
        let sessionToken = random.token()
        let now = clock.now
        let subjectUser = try await resolve(subject)
        let transient: User? = if case .transient(let user) = subject { user } else { nil }
        let federated: User? = if case .federated(_, let identity) = subject { identity } else { nil }
        let session = SSOSession(
            id: Self.digest(sessionToken), userID: subjectUser.id, authenticatedAt: now, expiresAt: now.addingTimeInterval(settings.sessionLifetime),
            authenticators: completed.map(\.option), transientUser: transient, federatedUser: federated,
            federatedLogin: completed.last(where: { $0.federatedLogin != nil })?.federatedLogin)
        try await storage.sessions.create(session)
        return try await authenticated(
            finished, subject: subject, attributes: attributes, serviceProvider: serviceProvider, sessionID: session.id, authenticatedAt: now,
            newSessionToken: sessionToken)
    }

    /// The account a later step (TOTP) acts for: the person the previous steps established.
    func previousAccount(_ flow: AuthenticationFlowState) -> String? {
        previousPerson(flow)?.accountID
    }

    /// The last person an earlier step established who has an account.
    func previousPerson(_ flow: AuthenticationFlowState) -> FlowUser? {
        flow.completedSteps.reversed().first { $0.user.accountID != nil }?.user
    }
}
