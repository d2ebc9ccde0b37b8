import Foundation
import IdentityCore
import IdentityStorage

/// After authentication: the tenant rule (SP-3), then missing mandatory claims (CL-3),
/// then consent (CL-4), then the result — in that order, each a page the person answers
/// before the next.
extension AuthenticationEngine {
    /// Takes a person who passed the sequence (or arrived with a live session) through
    /// the remaining steps. `subject` is who the SP is told about; `attributes` whose
    /// claims it gets (AU-2); usually the same person.
    func authenticated(
        _ flow: AuthenticationFlowState, subject: FlowUser, attributes: FlowUser, serviceProvider: ServiceProvider, sessionID: String,
        authenticatedAt: Date, newSessionToken: String?
    ) async throws -> FlowOutcome {
        // CL-6: a federated person with an account is that account to an SP that uses the
        // mapped local subject, and the person as the IdP presented them to one that does not.
        let subject = subject.asSeen(by: serviceProvider)
        let attributes = attributes.asSeen(by: serviceProvider)
        let user = try await resolve(subject)
        guard TenantPolicy.admits(user, to: serviceProvider) else {
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(
                action: .fail(
                    AuthError(
                        .authTenantNotAllowed, value: user.tenant,
                        detail: "users of tenant '\(user.tenant)' may not use '\(serviceProvider.name)' of tenant '\(serviceProvider.tenant)'"),
                    flow: flow.reference),
                newSessionToken: newSessionToken)
        }
        // Read once here and handed on: `next` and `complete` would otherwise read both
        // people again within this same request.
        let people = (subject: user, attributes: attributes == subject ? user : try await resolve(attributes))
        let record: @Sendable (AuthenticationFlowState) -> AuthenticationFlowState = { old in
            var new = old
            new.userID = user.id
            new.subjectUser = subject
            new.attributesUser = attributes
            new.sessionID = sessionID
            new.authenticatedAt = authenticatedAt
            new.stage = .authenticate
            return new
        }
        // Stored only if a page follows (`show` writes it with the page's stage). A flow
        // that completes now is ended by `complete`, whose delete is what makes completion
        // happen once; writing the authenticated flow first would be a write nobody reads.
        return try await next(record(flow), serviceProvider: serviceProvider, newSessionToken: newSessionToken, people: people, unsaved: record)
    }

    /// An account by its id, or the transient user itself.
    func resolve(_ person: FlowUser) async throws -> User {
        switch person {
        case .account(let id), .federated(let id, _): try await storage.users.get(id: id)
        case .transient(let user): user
        }
    }

    /// The subject and the attributes person of a flow past its sequence.
    func people(of flow: AuthenticationFlowState) async throws -> (subject: User, attributes: User) {
        guard let subject = flow.subjectUser, let attributes = flow.attributesUser else {
            throw AuthError(.authUnexpectedForm, detail: "the flow was not authenticated")
        }
        return (try await resolve(subject), try await resolve(attributes))
    }

    /// The next step for a flow whose people are known.
    /// `people`, when the caller has just read them for this flow; `unsaved`, the change
    /// that made `flow` from the stored flow when the caller has not stored it.
    func next(
        _ flow: AuthenticationFlowState, serviceProvider: ServiceProvider, newSessionToken: String?,
        people known: (subject: User, attributes: User)? = nil, unsaved: (@Sendable (AuthenticationFlowState) -> AuthenticationFlowState)? = nil
    ) async throws -> FlowOutcome {
        let people: (subject: User, attributes: User)
        if let known { people = known } else { people = try await self.people(of: flow) }
        let missing = serviceProvider.claims.mappings.filter(\.mandatory).map(\.local).filter { local in
            (ClaimRelease.values(of: local, for: people.attributes, serviceProvider: serviceProvider)).isEmpty
        }
        if !missing.isEmpty {
            if flow.passive {
                return try await failPassive(flow, .authInteractionRequired, "a mandatory claim has no value and the request forbids asking", newSessionToken)
            }
            // A missing claim a person cannot give (roles, the username) cannot be prompted.
            if let unavailable = missing.first(where: { settings.dialect.definition($0)?.userEditable != true }) {
                try await storage.flows.end(id: flow.id)
                return FlowOutcome(
                    action: .fail(
                        AuthError(.authMandatoryClaimUnavailable, value: unavailable, detail: "a mandatory claim has no value and cannot be asked for"),
                        flow: flow.reference),
                    newSessionToken: newSessionToken)
            }
            return try await show(
                flow, stage: .claims, pending: Array(Set(missing)).sortedByMapping(serviceProvider), serviceProvider, newSessionToken, unsaved: unsaved)
        }
        let offered = serviceProvider.claims.offered
        var receipt: ConsentReceipt?
        if !serviceProvider.claims.skipConsent && !offered.isEmpty {
            receipt = try await storage.consents.find(userID: people.subject.id, serviceProvider: serviceProvider.name)
            let unanswered = flow.forceConsent ? offered : Self.unanswered(offered, serviceProvider: serviceProvider, receipt: receipt)
            if !unanswered.isEmpty {
                if flow.passive {
                    return try await failPassive(flow, .authConsentRequired, "consent is needed and the request forbids asking", newSessionToken)
                }
                return try await show(flow, stage: .consent, pending: unanswered, serviceProvider, newSessionToken, unsaved: unsaved)
            }
        }
        return try await complete(
            flow, serviceProvider: serviceProvider, newSessionToken: newSessionToken,
            known: (people, serviceProvider.claims.skipConsent || offered.isEmpty ? .none : .some(receipt)))
    }

    /// The offered claims the person has not answered: neither granted nor withheld —
    /// and a withheld claim the SP has since made mandatory is asked again, since it can
    /// no longer be withheld and is only released once granted.
    static func unanswered(_ offered: [String], serviceProvider: ServiceProvider, receipt: ConsentReceipt?) -> [String] {
        let mandatory = serviceProvider.claims.mandatory
        return offered.filter { claim in
            !(receipt?.granted.contains(claim) ?? false) && !((receipt?.denied.contains(claim) ?? false) && !mandatory.contains(claim))
        }
    }

    /// A passive request (SAML IsPassive, OIDC prompt=none) that would need a page: the
    /// SP hears why instead.
    func failPassive(_ flow: AuthenticationFlowState, _ code: ErrorCode, _ detail: String, _ newSessionToken: String?) async throws
        -> FlowOutcome
    {
        try await storage.flows.end(id: flow.id)
        return FlowOutcome(action: .fail(AuthError(code, detail: detail), flow: flow.reference), newSessionToken: newSessionToken)
    }

    /// Takes the flow for this one submission: its CSRF token is replaced in the same
    /// compare-and-swap that checks it, so two posts of one page cannot both go on.
    func claim(_ flow: AuthenticationFlowState) async throws -> AuthenticationFlowState {
        let token = random.token()
        let expected = flow.csrfToken
        let stage = flow.stage
        return try await storage.flows.advance(id: flow.id) { old in
            guard old.csrfToken == expected, old.stage == stage else {
                throw AuthError(.authCSRFInvalid, field: "csrf", detail: "this page was already submitted")
            }
            var new = old
            new.csrfToken = token
            return new
        }
    }

    /// Moves the flow to a page stage with a fresh CSRF token (the previous page's token
    /// no longer works) and returns that page.
    func show(
        _ flow: AuthenticationFlowState, stage: AuthenticationFlowState.Stage, pending: [String], _ serviceProvider: ServiceProvider,
        _ newSessionToken: String?, unsaved: (@Sendable (AuthenticationFlowState) -> AuthenticationFlowState)? = nil
    ) async throws -> FlowOutcome {
        let token = random.token()
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = unsaved?(old) ?? old
            new.stage = stage
            new.pending = pending
            new.csrfToken = token
            return new
        }
        return try await page(for: updated, serviceProvider: serviceProvider, newSessionToken: newSessionToken)
    }

    /// The page of the flow's current stage.
    func page(for flow: AuthenticationFlowState, serviceProvider: ServiceProvider, newSessionToken: String?, values: [String: String] = [:],
              errors: [String: String] = [:]) async throws -> FlowOutcome
    {
        let definitions = flow.pending.map { settings.dialect.definition($0) ?? ClaimDefinition(uri: $0, displayName: $0) }
        switch flow.stage {
        case .claims:
            return FlowOutcome(
                action: .claims(
                    ClaimsPage(
                        flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name, claims: definitions, values: values,
                        errors: errors)),
                newSessionToken: newSessionToken)
        case .consent:
            let mandatory = serviceProvider.claims.mandatory
            return FlowOutcome(
                action: .consent(
                    ConsentPage(
                        flowID: flow.id, csrfToken: flow.csrfToken, serviceProvider: serviceProvider.name,
                        claims: definitions.map { ConsentPage.Claim(definition: $0, mandatory: mandatory.contains($0.uri)) })),
                newSessionToken: newSessionToken)
        case .authenticate:
            return try await loginPage(flow, serviceProvider)
        case .federated:
            // The person came back to the page instead of the IdP's answer: send them again.
            guard let pending = flow.federation else { return try await loginPage(flow, serviceProvider) }
            return try await startFederation(flow, identityProviderName: pending.identityProvider, serviceProvider)
        case .provision:
            return try await provisioningPage(flow, serviceProvider)
        case .totp:
            return try await totpPage(flow, serviceProvider)
        case .changePassword:
            guard let userID = flow.passwordChangeUserID else { return try await loginPage(flow, serviceProvider) }
            return try await showPasswordChange(flow, userID: userID)
        case .associate:
            return try await associationPage(flow, serviceProvider)
        }
    }

    /// CL-3: the values a person gave for the missing mandatory claims. Only the claims
    /// asked for may be answered; each must be present and valid; then they are stored on
    /// the user, so the prompt does not come back.
    public func submitClaims(flowID: String, csrfToken: String, values: [String: String], browserBinding: String?) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .claims)
        if let extra = values.keys.sorted().first(where: { !verified.pending.contains($0) }) {
            throw AuthError(.authUnexpectedField, field: extra, detail: "the form answers a claim that was not asked for")
        }
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        var errors = [String: String]()
        for claim in flow.pending {
            let definition = settings.dialect.definition(claim) ?? ClaimDefinition(uri: claim, displayName: claim)
            if let problem = ClaimValidator.problem(with: values[claim] ?? "", as: definition.type) { errors[claim] = problem }
        }
        guard errors.isEmpty else {
            return try await page(for: flow, serviceProvider: serviceProvider, newSessionToken: nil, values: values, errors: errors)
        }
        let given = flow.pending.reduce(into: [String: String]()) { $0[$1] = ClaimValidator.normalised(values[$1] ?? "") }
        var attributes = flow.attributesUser
        switch flow.attributesUser {
        case .account(let id)?, .federated(let id, _)?:
            try await storage.users.update(id: id) { old in
                var new = old
                for (claim, value) in given { new.claims[claim] = value }
                return new
            }
        case .transient(var user)?:
            // No account to store them on: they stay with this login (and its session).
            for (claim, value) in given { user.claims[claim] = value }
            attributes = .transient(user)
        case nil:
            throw AuthError(.authUnexpectedForm, detail: "the flow has no user")
        }
        let newAttributes = attributes
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.stage = .authenticate
            new.pending = []
            new.attributesUser = newAttributes
            if case .transient = newAttributes, old.subjectUser == old.attributesUser { new.subjectUser = newAttributes }
            return new
        }
        return try await next(updated, serviceProvider: serviceProvider, newSessionToken: nil)
    }

    /// CL-4: the person's answer on the consent page. `approved` are the optional claims
    /// left selected; mandatory ones are granted by approving. Denying ends the flow with
    /// an access-denied answer to the SP. Only claims the page offered may be answered.
    public func submitConsent(
        flowID: String, csrfToken: String, approve: Bool, approved: Set<String>, browserBinding: String?
    ) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .consent)
        if let extra = approved.sorted().first(where: { !verified.pending.contains($0) }) {
            throw AuthError(
                .authUnexpectedField, field: ConsentPage.fieldName(for: extra), detail: "the form consents to a claim that was not offered")
        }
        let flow = try await claim(verified)
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        guard approve else {
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(action: .fail(AuthError(.authConsentDenied, detail: "the person denied consent"), flow: flow.reference))
        }
        let userID = try await people(of: flow).subject.id
        let mandatory = serviceProvider.claims.mandatory
        let granted = flow.pending.filter { mandatory.contains($0) || approved.contains($0) }
        let denied = flow.pending.filter { !granted.contains($0) }
        let now = clock.now
        let newID = random.uuid()
        try await storage.consents.record(userID: userID, serviceProvider: serviceProvider.name) { previous in
            ConsentReceipt(
                id: previous?.id ?? newID, userID: userID, serviceProvider: serviceProvider.name,
                granted: Self.merged(previous?.granted, adding: granted, removing: denied),
                denied: Self.merged(previous?.denied, adding: denied, removing: granted), consentedAt: now, version: (previous?.version ?? 0) + 1)
        }
        return try await complete(flow, serviceProvider: serviceProvider, newSessionToken: nil)
    }

    static func merged(_ existing: [String]?, adding: [String], removing: [String]) -> [String] {
        var result = (existing ?? []).filter { !removing.contains($0) }
        for claim in adding where !result.contains(claim) { result.append(claim) }
        return result
    }

    /// The result: released claims in the SP's dialect, without the optional claims the
    /// person kept back.
    /// `known`: the people and the consent receipt (when one was looked up) just read by
    /// `next` in this same request.
    private func complete(
        _ flow: AuthenticationFlowState, serviceProvider: ServiceProvider, newSessionToken: String?,
        known: (people: (subject: User, attributes: User), receipt: ConsentReceipt??)? = nil
    ) async throws -> FlowOutcome {
        try await storage.flows.end(id: flow.id)
        guard let sessionID = flow.sessionID, let authenticatedAt = flow.authenticatedAt else {
            throw AuthError(.authUnexpectedForm, detail: "the flow was not authenticated")
        }
        let people: (subject: User, attributes: User)
        if let known { people = known.people } else { people = try await self.people(of: flow) }
        // The person may have logged out (or been locked) in another tab while a page
        // of this flow was open: nothing is issued for a session that has ended.
        guard let session = try await storage.sessions.get(id: sessionID), session.expiresAt > clock.now, !people.subject.locked else {
            throw AuthError(.authSessionEnded, detail: "the login session ended before this login completed; start again from the application")
        }
        // Mandatory-claim values given for a transient user live on in its session.
        if case .transient(let user)? = flow.attributesUser, session.transientUser?.id == user.id, session.transientUser != user {
            try await storage.sessions.update(id: sessionID) { old in
                var new = old
                new.transientUser = user
                return new
            }
        }
        let subject: String
        do {
            subject = try await self.subject(for: people.subject, serviceProvider: serviceProvider)
        } catch let error as AuthError {
            return FlowOutcome(action: .fail(error, flow: flow.reference), newSessionToken: newSessionToken)
        }
        let receipt: ConsentReceipt?
        if serviceProvider.claims.skipConsent {
            receipt = nil
        } else if let looked = known?.receipt {
            receipt = looked
        } else {
            receipt = try await storage.consents.find(userID: people.subject.id, serviceProvider: serviceProvider.name)
        }
        let result = AuthenticationResult(
            user: people.subject, serviceProvider: serviceProvider,
            subject: subject,
            claims: ClaimRelease.claims(
                for: people.attributes, serviceProvider: serviceProvider, permitted: ClaimRelease.permitted(for: serviceProvider, receipt: receipt)),
            sessionID: sessionID, sessionIndex: random.xmlIdentifier(), authenticatedAt: authenticatedAt, inboundProtocol: flow.inboundProtocol,
            inboundContext: flow.inboundContext, userIsTransient: { if case .transient = flow.subjectUser { true } else { false } }())
        return FlowOutcome(action: .complete(result), newSessionToken: newSessionToken)
    }
}

extension Array where Element == String {
    /// In the order the SP's mappings list them.
    func sortedByMapping(_ serviceProvider: ServiceProvider) -> [String] {
        let order = serviceProvider.claims.mappings.map(\.local)
        return sorted { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }
    }
}

extension FlowUser {
    /// CL-6: how an SP sees this person. A federated person with an account is the account
    /// when the SP uses the mapped local subject, else the person as their IdP presented
    /// them (subject `idp/id`, the IdP's mapped claims).
    func asSeen(by serviceProvider: ServiceProvider) -> FlowUser {
        guard case .federated(let account, let identity) = self else { return self }
        return serviceProvider.claims.useMappedLocalSubject ? .account(account) : .transient(identity)
    }
}
