import Foundation
import IdentityCore
import IdentityStorage
import OneTimePasswords

/// MF-1: TOTP as a local authenticator for the account an earlier step established —
/// enrolled on first use (the secret shown once, stored when a code proves the app has
/// it), then a code at every login; each code once.
extension AuthenticationEngine {
    /// Moves the flow to the TOTP page, with a new secret when the account has none.
    func showTOTP(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider) async throws -> FlowOutcome {
        guard let userID = previousAccount(flow) else {
            try await storage.flows.end(id: flow.id)
            throw AuthError(
                .authOptionUnavailable, value: AuthenticationSequence.totp,
                detail: "a TOTP step needs an account from an earlier step (a first step, or a federated person without an account, has none)")
        }
        let user = try await storage.users.get(id: userID)
        let secret = user.totpSecret == nil ? Base32.encode(random.bytes(20)) : nil
        let token = random.token()
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.stage = .totp
            new.enrollingSecret = secret
            new.csrfToken = token
            return new
        }
        return try await totpPage(updated, serviceProvider)
    }

    func totpPage(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, error: String? = nil) async throws -> FlowOutcome {
        var enrolment: TOTPPage.Enrolment?
        if let secret = flow.enrollingSecret, let userID = previousAccount(flow) {
            let user = try await storage.users.get(id: userID)
            enrolment = .init(secret: secret, uri: TOTP.uri(secret: secret, account: user.identifier.description, issuer: "Identity Harness"))
        }
        return FlowOutcome(
            action: .totp(TOTPPage(flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name, enrolment: enrolment, error: error)))
    }

    /// A code typed on the TOTP page. Wrong codes count against the flow's attempts, like
    /// passwords; a code is accepted once per time step (RFC 6238 §5.2).
    public func submitTOTP(flowID: String, csrfToken: String, code: String, browserBinding: String?, sessionToken: String?) async throws
        -> FlowOutcome
    {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .totp)
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        guard let userID = previousAccount(flow) else { throw AuthError(.authUnexpectedForm, detail: "no account to check a code for") }
        let user = try await storage.users.get(id: userID)
        guard let encoded = flow.enrollingSecret ?? user.totpSecret, let secret = Base32.decode(encoded) else {
            throw AuthError(.authUnexpectedForm, detail: "the account has no TOTP secret")
        }
        let now = clock.now
        let typed = code.filter { !$0.isWhitespace }
        let accepted: Bool
        if let step = TOTP.matchingStep(typed, secret: secret, at: now) {
            accepted = try await storage.replays.claim("totp:\(userID):\(step)", until: now.addingTimeInterval(3 * TOTP.period), now: now)
        } else {
            accepted = false
        }
        guard accepted else {
            let counted = try await countedAttempt(flow)
            if counted.attempts >= settings.maximumAttempts { return try await tooManyAttempts(counted) }
            return try await totpPage(counted, serviceProvider, error: "That code is not valid. Enter the current code from your app.")
        }
        if let enrolled = flow.enrollingSecret {
            try await storage.users.update(id: userID) { old in
                var new = old
                new.totpSecret = enrolled
                return new
            }
        }
        // The same person as the step before (with how their IdP presented them, if it did).
        let person = previousPerson(flow) ?? .account(userID)
        return try await stepPassed(flow, option: AuthenticationSequence.totp, user: person, serviceProvider, sessionToken: sessionToken)
    }
}
