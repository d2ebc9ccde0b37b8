import Foundation
import IdentityCore
import IdentityStorage

/// Just-in-time provisioning of a federated person (JIT-1 … JIT-8) and account
/// association (FE-4): an account already mapped to the person is used again (its
/// IdP-owned attributes re-synced); otherwise the IdP's mode decides — an account made
/// silently, after a prompt (where the person may instead prove they own an existing
/// account and link it), or none at all.
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

    /// The person as the IdP presented them, with no account: JIT mode `none`, and what an
    /// SP that does not use the mapped local subject receives (CL-6). Their subject is
    /// `<idp>/<user ID>` (`ClaimRelease.subject`), which no account's can equal.
    static func federatedUser(_ identity: FederatedIdentity, idp: IdentityProvider) -> User {
        let (claims, roles) = mapped(identity, by: idp)
        return User(
            id: "federated:\(idp.name):\(identity.subject)", userStore: UserStoreName.federated, username: identity.subject, claims: claims,
            roles: roles, federation: FederatedAccount(identityProvider: idp.name, subject: identity.subject))
    }

    /// After a connector accepted an answer.
    func federated(
        _ flow: AuthenticationFlowState, identity: FederatedIdentity, idp: IdentityProvider, _ serviceProvider: ServiceProvider, sessionToken: String?
    ) async throws -> FlowOutcome {
        let presented = Self.federatedUser(identity, idp: idp)
        // JIT-6, FE-4: the person has an account here already — the same one, not a second.
        if let existing = try await mappedAccount(FederatedAccount(identityProvider: idp.name, subject: identity.subject)) {
            guard !existing.locked else {
                try await storage.flows.end(id: flow.id)
                return FlowOutcome(action: .fail(AuthError(.authAccountLocked, detail: "the account linked to this person is locked"), flow: flow.reference))
            }
            var resynced = false
            if existing.federation?.identityProvider == idp.name, existing.federation?.subject == identity.subject {
                resynced = try await resync(existing, from: identity, idp: idp)
            }
            if let refusal = try await forwarded(existing, changed: resynced, serviceProvider, flow: flow) { return refusal }
            return try await stepPassed(
                flow, option: idp.name, user: .federated(account: existing.id, identity: presented), serviceProvider, sessionToken: sessionToken,
                federatedLogin: identity.login)
        }
        switch idp.jit.mode {
        case .none:
            return try await stepPassed(
                flow, option: idp.name, user: .transient(presented), serviceProvider, sessionToken: sessionToken, federatedLogin: identity.login)
        case .silent:
            let username: String
            do {
                username = try UsernameProfile.display(derivedUsername(identity))
            } catch {
                try await storage.flows.end(id: flow.id)
                return FlowOutcome(
                    action: .fail(
                        AuthError(.authJITUsernameInvalid, value: identity.subject, detail: "the IdP's user ID cannot be a username here: \(error.detail)"),
                        flow: flow.reference))
            }
            // JIT-8, AU-9: taken in any user store of the tenant — never merged.
            guard try await storage.users.find(username: username, tenant: Tenant.superTenant) == nil else {
                try await storage.flows.end(id: flow.id)
                return FlowOutcome(
                    action: .fail(
                        AuthError(.authJITUsernameTaken, value: username, detail: "another account already has the username this person would get"),
                        flow: flow.reference))
            }
            let user = try await provision(identity, idp: idp, username: username, password: nil)
            if let refusal = try await forwarded(user, changed: true, serviceProvider, flow: flow) { return refusal }
            return try await stepPassed(
                flow, option: idp.name, user: .federated(account: user.id, identity: presented), serviceProvider, sessionToken: sessionToken,
                federatedLogin: identity.login)
        case .promptUsernamePasswordConsent, .promptPasswordConsent, .promptConsent:
            // A derived username that cannot be one is asked for, as a taken one is.
            let derivable = idp.jit.mode.asksUsername || (try? UsernameProfile.display(derivedUsername(identity))) != nil
            let token = random.token()
            let waiting = try await storage.flows.advance(id: flow.id) { old in
                var new = old
                new.stage = .provision
                new.provisioning = .init(identity: identity, usernameTaken: !derivable)
                new.csrfToken = token
                return new
            }
            return try await provisioningPage(waiting, serviceProvider)
        }
    }

    /// The account a federated person maps to: associated, or provisioned from them. A
    /// provisioned account whose association did not get written (a crash between the
    /// two inserts) gets it now.
    func mappedAccount(_ account: FederatedAccount) async throws -> User? {
        if let association = try await storage.associations.find(account) {
            if let user = try? await storage.users.get(id: association.userID) { return user }
            try? await storage.associations.delete(id: association.id)
        }
        guard let provisioned = try await storage.users.find(federation: account) else { return nil }
        try? await storage.associations.create(
            FederatedAssociation(
                id: random.uuid(), identityProvider: account.identityProvider, subject: account.subject, userID: provisioned.id, provisioned: true,
                associatedAt: clock.now))
        return provisioned
    }

    /// JIT-6, JIT-7: a returning provisioned person's attributes follow the IdP. In
    /// enhanced mode the IdP owns them: every mapped claim is replaced, or removed when
    /// the IdP no longer sends it (seed 001: "user attributes will be synced from each
    /// federated IDP login"). Otherwise, as WSO2's DefaultProvisioningHandler does with
    /// enhanced JIT off, the values the IdP sends overwrite the stored ones, and what it
    /// did not send this time is kept (a value the person gave at a mandatory-claim
    /// prompt stays). Roles follow the IdP's role claim whenever it has one.
    /// Whether it changed the account.
    @discardableResult
    func resync(_ user: User, from identity: FederatedIdentity, idp: IdentityProvider) async throws -> Bool {
        let (claims, roles) = Self.mapped(identity, by: idp)
        let enhanced = settings.enhancedJIT
        let updated = try await storage.users.update(id: user.id) { old in
            var new = old
            for mapping in idp.claims.mappings where enhanced || claims[mapping.local] != nil {
                new.claims[mapping.local] = claims[mapping.local]
            }
            if idp.claims.roleClaim != nil { new.roles = roles }
            return new
        }
        return updated.claims != user.claims || updated.roles != user.roles
    }

    /// PR-2: the application's outbound provisioning hears of the person (a JIT account
    /// goes to its targets); a blocking target that could not be given the account refuses
    /// the login, which ends here with that error.
    func forwarded(_ user: User, changed: Bool, _ serviceProvider: ServiceProvider, flow: AuthenticationFlowState) async throws
        -> FlowOutcome?
    {
        guard let accountEvents else { return nil }
        do {
            try await accountEvents.federatedLogin(user, changed: changed, at: serviceProvider)
            return nil
        } catch {
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(action: .fail(error, flow: flow.reference))
        }
    }

    /// JIT-3, JIT-7: the IdP's user ID, or in enhanced mode a new federated unique ID.
    func derivedUsername(_ identity: FederatedIdentity) -> String {
        settings.enhancedJIT ? random.uuid() : identity.subject
    }

    /// The account, in one insert: user, claims, roles and federated link arrive together
    /// or not at all (its association is written next; `mappedAccount` repairs a crash in
    /// between). A password nobody is told is random (JIT-3).
    func provision(_ identity: FederatedIdentity, idp: IdentityProvider, username: String, password: String?) async throws -> User {
        let (claims, roles) = Self.mapped(identity, by: idp)
        let link = FederatedAccount(identityProvider: idp.name, subject: identity.subject)
        let user = User(
            id: random.uuid(), userStore: idp.jit.userStore, username: username, passwordHash: hasher.hash(password ?? random.token()),
            claims: claims, roles: roles, federation: link)
        try await storage.users.create(user)
        do {
            try await storage.associations.create(
                FederatedAssociation(
                    id: random.uuid(), identityProvider: idp.name, subject: identity.subject, userID: user.id, provisioned: true, associatedAt: clock.now))
        } catch {
            // (One catch-all with a guard: a typed `catch … where` here crashes Swift 6.3's SILGen.)
            guard error.code == .storageAlreadyExists else { throw error }
            // Linked to another account by a login that finished first: this one is undone.
            try? await storage.users.delete(id: user.id)
            throw AuthError(.authIdentityAlreadyLinked, value: link.key, detail: "this IdP person was linked to another account meanwhile")
        }
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
                    asksPassword: idp.jit.mode.asksPassword, offersAssociation: true, attributes: attributes, username: username, errors: errors)))
    }

    /// JIT-1, JIT-5, JIT-8: the answer on the provisioning page. Denying provisions nothing
    /// and answers the SP; linking an existing account (FE-4) asks for its password; a
    /// taken or invalid username, or a password against the policy, shows the page again;
    /// otherwise the account is made and the step passed.
    public func submitProvisioning(
        flowID: String, csrfToken: String, decision: ProvisioningDecision, username: String?, password: String?, confirmation: String?,
        browserBinding: String?, sessionToken: String?
    ) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .provision)
        guard let pending = verified.provisioning else { throw AuthError(.authUnexpectedForm, detail: "nothing is waiting to be provisioned") }
        let idp = try await storage.identityProviders.get(name: pending.identity.identityProvider)
        let asksUsername = idp.jit.mode.asksUsername || pending.usernameTaken
        if decision == .approve, username != nil && !asksUsername {
            throw AuthError(.authUnexpectedField, field: "username", detail: "this page does not ask for a username")
        }
        if decision == .approve, (password != nil || confirmation != nil) && !idp.jit.mode.asksPassword {
            throw AuthError(.authUnexpectedField, field: "password", detail: "this page does not ask for a password")
        }
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        switch decision {
        case .deny:
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(
                action: .fail(AuthError(.authJITConsentDenied, detail: "the person refused to have an account provisioned"), flow: flow.reference))
        case .link:
            return try await showAssociation(flow, serviceProvider)
        case .approve:
            break
        }
        var errors = [String: String]()
        let typed = asksUsername ? (username ?? "").trimmingCharacters(in: .whitespaces) : derivedUsername(pending.identity)
        let chosen = (try? UsernameProfile.display(typed)) ?? typed
        if let problem = UsernameProfile.problem(with: typed) {
            errors["username"] = problem.message
        } else if asksUsername, let problem = Self.tenantSuffixProblem(chosen, tenants: settings.tenants) {
            errors["username"] = problem
        }
        if idp.jit.mode.asksPassword {
            if let problem = settings.passwordPolicy.problem(with: password ?? "", username: chosen) {
                errors["password"] = problem
            } else if password != confirmation {
                errors["password"] = "The passwords do not match."
            }
        }
        guard errors.isEmpty else {
            return try await provisioningPage(flow, serviceProvider, username: asksUsername ? typed : nil, errors: errors)
        }
        // JIT-8, AU-9: a username any account of the tenant has, in any store, is taken.
        if try await storage.users.find(username: chosen, tenant: Tenant.superTenant) != nil {
            return try await usernameTaken(flow, serviceProvider, tried: asksUsername ? typed : nil)
        }
        let user: User
        do {
            user = try await provision(pending.identity, idp: idp, username: chosen, password: idp.jit.mode.asksPassword ? password : nil)
        } catch let error as StorageError where error.code == .storageAlreadyExists && error.field == "username" {
            return try await usernameTaken(flow, serviceProvider, tried: asksUsername ? typed : nil)
        }
        if let refusal = try await forwarded(user, changed: true, serviceProvider, flow: flow) { return refusal }
        return try await stepPassed(
            flow, option: idp.name, user: .federated(account: user.id, identity: Self.federatedUser(pending.identity, idp: idp)), serviceProvider,
            sessionToken: sessionToken, federatedLogin: pending.identity.login)
    }

    /// JIT-8 in the prompt modes: the page comes back asking for another username.
    private func usernameTaken(_ flow: AuthenticationFlowState, _ serviceProvider: ServiceProvider, tried: String?) async throws -> FlowOutcome {
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.provisioning?.usernameTaken = true
            return new
        }
        return try await provisioningPage(updated, serviceProvider, username: tried, errors: ["username": "That username is taken. Choose another."])
    }

    /// A username that ends in `@<known tenant>` would be read as that tenant's user.
    static func tenantSuffixProblem(_ username: String, tenants: Set<String>) -> String? {
        if let at = username.lastIndex(of: "@"), tenants.contains(String(username[username.index(after: at)...]).lowercased()) {
            return "A username cannot end with a tenant domain."
        }
        return nil
    }
}

/// The provisioning page's three buttons.
public enum ProvisioningDecision: String, Sendable {
    /// Create the account.
    case approve
    /// Provision nothing; the SP hears the person refused (JIT-5).
    case deny
    /// FE-4: link an existing account instead, after proving it is theirs.
    case link
}
