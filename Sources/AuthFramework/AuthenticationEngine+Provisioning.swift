import Foundation
import IdentityCore
import IdentityStorage

/// Just-in-time provisioning of a federated person (JIT-1 … JIT-8): a linked account is
/// used again (re-synced in enhanced mode), otherwise the IdP's mode decides — an account
/// made silently, after a prompt, or none at all.
extension AuthenticationEngine {
    /// FE-2: the IdP's claims as local claims (unmapped ones dropped), and its roles.
    static func mapped(_ identity: FederatedIdentity, by idp: IdentityProvider) -> (claims: [String: String], roles: [String]) {
        var claims = [String: String]()
        for mapping in idp.claims.mappings {
            if let value = identity.claims[mapping.idp]?.first(where: { !$0.isEmpty }) { claims[mapping.local] = value }
        }
        let roles = idp.claims.roleClaim.flatMap { identity.claims[$0] } ?? []
        return (claims, roles)
    }

    /// After a connector accepted an answer.
    func federated(
        _ flow: AuthenticationFlowState, identity: FederatedIdentity, idp: IdentityProvider, _ serviceProvider: ServiceProvider, sessionToken: String?
    ) async throws -> FlowOutcome {
        let (claims, roles) = Self.mapped(identity, by: idp)
        let link = FederatedAccount(identityProvider: idp.name, subject: identity.subject)
        // JIT-6: the person was provisioned before: the same account, not a second one.
        if let existing = try await storage.users.find(federation: link) {
            guard !existing.locked else {
                try await storage.flows.delete(id: flow.id)
                return FlowOutcome(action: .fail(AuthError(.authAccountLocked, detail: "the account linked to this person is locked"), flow: flow.reference))
            }
            if settings.enhancedJIT {
                // JIT-7: the IdP owns a JIT account's attributes: re-synced at every login.
                try await storage.users.update(id: existing.id) { old in
                    var new = old
                    for mapping in idp.claims.mappings { new.claims[mapping.local] = claims[mapping.local] }
                    if idp.claims.roleClaim != nil { new.roles = roles }
                    return new
                }
            }
            return try await stepPassed(flow, option: idp.name, user: .account(existing.id), serviceProvider, sessionToken: sessionToken)
        }
        switch idp.jit.mode {
        case .none:
            let user = User(
                id: "federated:\(idp.name):\(identity.subject)", userStore: Self.federatedStore, username: identity.subject, claims: claims,
                roles: roles, federation: link)
            return try await stepPassed(flow, option: idp.name, user: .transient(user), serviceProvider, sessionToken: sessionToken)
        case .silent:
            let username = derivedUsername(identity)
            guard try await storage.users.find(UserIdentifier(userStore: idp.jit.userStore, username: username)) == nil else {
                // JIT-8: never merged into someone else's account.
                try await storage.flows.delete(id: flow.id)
                return FlowOutcome(
                    action: .fail(
                        AuthError(.authJITUsernameTaken, value: username, detail: "another account already has the username this person would get"),
                        flow: flow.reference))
            }
            let user = try await provision(identity, idp: idp, username: username, password: nil)
            return try await stepPassed(flow, option: idp.name, user: .account(user.id), serviceProvider, sessionToken: sessionToken)
        case .promptUsernamePasswordConsent, .promptPasswordConsent, .promptConsent:
            let token = random.token()
            let waiting = try await storage.flows.update(id: flow.id) { old in
                var new = old
                new.stage = .provision
                new.provisioning = .init(identity: identity)
                new.csrfToken = token
                return new
            }
            return try await provisioningPage(waiting, serviceProvider)
        }
    }

    /// The store name of people without an account (JIT mode `none`); never a real store.
    static let federatedStore = "FEDERATED"

    /// JIT-3, JIT-7: the IdP's user ID, or in enhanced mode a new federated unique ID.
    func derivedUsername(_ identity: FederatedIdentity) -> String {
        settings.enhancedJIT ? random.uuid() : identity.subject
    }

    /// The account, in one insert: user, claims, roles and federated link arrive together
    /// or not at all. A password nobody is told is random (JIT-3).
    func provision(_ identity: FederatedIdentity, idp: IdentityProvider, username: String, password: String?) async throws -> User {
        let (claims, roles) = Self.mapped(identity, by: idp)
        let user = User(
            id: random.uuid(), userStore: idp.jit.userStore, username: username, passwordHash: hasher.hash(password ?? random.token()),
            claims: claims, roles: roles, federation: FederatedAccount(identityProvider: idp.name, subject: identity.subject))
        try await storage.users.create(user)
        return user
    }

    func provisioningPage(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, username: String? = nil, errors: [String: String] = [:])
        async throws -> FlowOutcome
    {
        guard let pending = flow.provisioning else { throw AuthError(.authUnexpectedForm, detail: "nothing is waiting to be provisioned") }
        let idp = try await storage.identityProviders.get(name: pending.identity.identityProvider)
        let (claims, _) = Self.mapped(pending.identity, by: idp)
        let attributes = idp.claims.mappings.compactMap { mapping -> ProvisioningPage.Attribute? in
            claims[mapping.local].map {
                .init(claim: settings.dialect.definition(mapping.local) ?? ClaimDefinition(uri: mapping.local, displayName: mapping.local), value: $0)
            }
        }
        return FlowOutcome(
            action: .provision(
                ProvisioningPage(
                    flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name,
                    identityProvider: idp.description ?? idp.name, asksUsername: idp.jit.mode.asksUsername || pending.usernameTaken,
                    asksPassword: idp.jit.mode.asksPassword, attributes: attributes, username: username, errors: errors)))
    }

    /// JIT-1, JIT-5, JIT-8: the answer on the provisioning page. Denying provisions nothing
    /// and answers the SP; a taken or invalid username, or a password that breaks the
    /// rules, shows the page again; otherwise the account is made and the step passed.
    public func submitProvisioning(
        flowID: String, csrfToken: String, approve: Bool, username: String?, password: String?, confirmation: String?, browserBinding: String?,
        sessionToken: String?
    ) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .provision)
        guard let pending = verified.provisioning else { throw AuthError(.authUnexpectedForm, detail: "nothing is waiting to be provisioned") }
        let idp = try await storage.identityProviders.get(name: pending.identity.identityProvider)
        let asksUsername = idp.jit.mode.asksUsername || pending.usernameTaken
        if username != nil && !asksUsername {
            throw AuthError(.authUnexpectedField, field: "username", detail: "this page does not ask for a username")
        }
        if (password != nil || confirmation != nil) && !idp.jit.mode.asksPassword {
            throw AuthError(.authUnexpectedField, field: "password", detail: "this page does not ask for a password")
        }
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        guard approve else {
            try await storage.flows.delete(id: flow.id)
            return FlowOutcome(
                action: .fail(AuthError(.authJITConsentDenied, detail: "the person refused to have an account provisioned"), flow: flow.reference))
        }
        var errors = [String: String]()
        let chosen = asksUsername ? (username ?? "").trimmingCharacters(in: .whitespaces) : derivedUsername(pending.identity)
        if asksUsername, let problem = Self.usernameProblem(chosen, tenants: settings.tenants) { errors["username"] = problem }
        if idp.jit.mode.asksPassword {
            if let problem = Self.passwordProblem(password ?? "") {
                errors["password"] = problem
            } else if password != confirmation {
                errors["password"] = "The passwords do not match."
            }
        }
        guard errors.isEmpty else {
            return try await provisioningPage(flow, serviceProvider, username: asksUsername ? chosen : nil, errors: errors)
        }
        if try await storage.users.find(UserIdentifier(userStore: idp.jit.userStore, username: chosen)) != nil {
            return try await usernameTaken(flow, serviceProvider, tried: asksUsername ? chosen : nil)
        }
        let user: User
        do {
            user = try await provision(pending.identity, idp: idp, username: chosen, password: idp.jit.mode.asksPassword ? password : nil)
        } catch let error as StorageError where error.code == .storageAlreadyExists && error.field == "username" {
            return try await usernameTaken(flow, serviceProvider, tried: asksUsername ? chosen : nil)
        }
        return try await stepPassed(flow, option: idp.name, user: .account(user.id), serviceProvider, sessionToken: sessionToken)
    }

    /// JIT-8 in the prompt modes: the page comes back asking for another username.
    private func usernameTaken(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, tried: String?) async throws -> FlowOutcome {
        let updated = try await storage.flows.update(id: flow.id) { old in
            var new = old
            new.provisioning?.usernameTaken = true
            return new
        }
        return try await provisioningPage(updated, serviceProvider, username: tried, errors: ["username": "That username is taken. Choose another."])
    }

    /// JIT-3: a username a person can type at the login page and the server can store.
    static func usernameProblem(_ username: String, tenants: Set<String>) -> String? {
        if username.isEmpty { return "Choose a username." }
        if username.count > 64 { return "At most 64 characters." }
        if username.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0 == "/" }) {
            return "Use no spaces or slashes."
        }
        if let at = username.lastIndex(of: "@"), tenants.contains(String(username[username.index(after: at)...]).lowercased()) {
            return "A username cannot end with a tenant domain."
        }
        return nil
    }

    /// JIT-3: 8 to 128 characters with a letter and a digit.
    static func passwordProblem(_ password: String) -> String? {
        guard (8...128).contains(password.count), password.contains(where: \.isLetter), password.contains(where: \.isNumber) else {
            return "Use 8 to 128 characters, with at least one letter and one digit."
        }
        return nil
    }
}
