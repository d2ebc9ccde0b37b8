import Foundation
import IdentityCore
import IdentityStorage

/// FE-4: a federated person links an existing local account — only after proving, in the
/// same login, that it is theirs by its password (checked with every rule of AU-5, AU-7).
/// A matching username or e-mail address never links anything by itself.
extension AuthenticationEngine {
    /// Moves the flow from the provisioning page to the association page.
    func showAssociation(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, username: String? = nil, error: String? = nil,
                         throttled: Bool = false) async throws -> FlowOutcome
    {
        let token = random.token()
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.stage = .associate
            new.csrfToken = token
            return new
        }
        return try await associationPage(updated, serviceProvider, username: username, error: error, throttled: throttled)
    }

    func associationPage(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, username: String? = nil, error: String? = nil,
                         throttled: Bool = false) async throws -> FlowOutcome
    {
        guard let pending = flow.provisioning else { throw AuthError(.authUnexpectedForm, detail: "no federated person is waiting") }
        let idp = try await storage.identityProviders.get(name: pending.identity.identityProvider)
        return FlowOutcome(
            action: .associate(
                AssociationPage(
                    flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name, identityProvider: idp.description ?? idp.name,
                    username: username, error: error, throttled: throttled)))
    }

    /// The association page's answer: the existing account's username and password, or
    /// `back` to the provisioning page. A right password links the person to the account
    /// and the login goes on as that account; a wrong one counts like a failed login.
    public func submitAssociation(
        flowID: String, csrfToken: String, back: Bool, username: String, password: String, browserBinding: String?, sessionToken: String?,
        client: String?
    ) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .associate)
        guard let pending = verified.provisioning else { throw AuthError(.authUnexpectedForm, detail: "no federated person is waiting") }
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        if back {
            let token = random.token()
            let returned = try await storage.flows.advance(id: flow.id) { old in
                var new = old
                new.stage = .provision
                new.csrfToken = token
                return new
            }
            return try await provisioningPage(returned, serviceProvider)
        }
        let counted = try await countedAttempt(flow)
        if counted.attempts > settings.maximumAttempts { return try await tooManyAttempts(counted) }
        let user: User
        switch try await checkPassword(username: username, password: password, client: client) {
        case .accepted(let account):
            guard !account.mustChangePassword else {
                return try await associationPage(
                    counted, serviceProvider, username: username, error: "Sign in with this account directly first: it needs a new password.")
            }
            user = account
        case .throttled:
            return try await associationPage(counted, serviceProvider, username: username, error: LoginPage.throttledMessage, throttled: true)
        case .refused:
            if counted.attempts >= settings.maximumAttempts { return try await tooManyAttempts(counted) }
            return try await associationPage(counted, serviceProvider, username: username, error: LoginPage.failureMessage)
        }
        let idp = try await storage.identityProviders.get(name: pending.identity.identityProvider)
        do {
            try await storage.associations.create(
                FederatedAssociation(
                    id: random.uuid(), identityProvider: idp.name, subject: pending.identity.subject, userID: user.id, provisioned: false,
                    associatedAt: clock.now))
        } catch {
            // (One catch-all with a guard: a typed `catch … where` here hangs Swift 6.3's SILGen.)
            guard error.code == .storageAlreadyExists else { throw error }
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(
                action: .fail(
                    AuthError(.authIdentityAlreadyLinked, detail: "this IdP person was linked to an account by another login meanwhile"),
                    flow: flow.reference))
        }
        return try await stepPassed(
            counted, option: idp.name, user: .federated(account: user.id, identity: Self.federatedUser(pending.identity, idp: idp)), serviceProvider,
            sessionToken: sessionToken, federatedLogin: pending.identity.login)
    }
}
