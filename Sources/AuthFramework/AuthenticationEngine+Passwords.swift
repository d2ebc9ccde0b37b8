import Foundation
public import IdentityCore
import IdentityStorage

/// The outcome of a password check. `refused` is one answer for a wrong password, an
/// unknown username and a locked account alike (AU-5, AU-7); only the per-address limit
/// says something else, and it is about the caller's address, not an account.
public enum PasswordCheck: Sendable {
    case accepted(User)
    case refused
    /// Too many failures from this client address (AU-7); nothing was checked.
    case throttled
}

/// Every password check of the server goes through here — the login form, request-path
/// credentials (AU-4), the password grant, the self-service APIs' HTTP Basic — so the
/// lookup (AU-9), the account lock and the per-address limit (AU-7) hold everywhere.
extension AuthenticationEngine {
    /// Checks `password` for the account `username` names, from `client` (its address;
    /// nil when unknown, which no address limit applies to).
    ///
    /// The failure is counted on the account *before* the hash is compared, in one
    /// compare-and-swap that also refuses when the count is used up: however many guesses
    /// arrive at once, at most `maximumFailures` are ever compared before the lock. The
    /// lock's refusal spends a hash like any other failure, so it cannot be told apart.
    public func checkPassword(username: String, password: String, client: String?) async throws -> PasswordCheck {
        let now = clock.now
        if let client, !throttle.begin(client, now: now) { return .throttled }
        guard let user = try await account(named: username), user.passwordHash != nil else {
            return refuse(password)
        }
        let policy = settings.accountLock
        let reserved: User
        do {
            reserved = try await storage.users.update(id: user.id) { old in
                guard !old.isLocked(at: now), policy.maximumFailures == 0 || old.lockout.failures < policy.maximumFailures else {
                    throw AccountUnavailable()
                }
                var new = old
                if old.lockout.lockedUntil != nil { new.lockout.lockedUntil = nil }
                if policy.maximumFailures > 0 { new.lockout.failures += 1 }
                return new
            }
        } catch is AccountUnavailable {
            return refuse(password)
        } catch let error as StorageError where error.code == .storageNotFound {
            return refuse(password)
        }
        guard let hash = reserved.passwordHash, hasher.verify(password, against: hash) else {
            if policy.maximumFailures > 0, reserved.lockout.failures >= policy.maximumFailures {
                try await storage.users.update(id: user.id) { old in
                    var new = old
                    new.lockout = AccountLockout(
                        failures: 0, lockedUntil: now.addingTimeInterval(policy.duration(afterLocks: old.lockout.lockCount)),
                        lockCount: old.lockout.lockCount + 1)
                    return new
                }
            }
            return .refused
        }
        if let client { throttle.succeeded(client) }
        if reserved.lockout == AccountLockout() { return .accepted(reserved) }
        return .accepted(
            try await storage.users.update(id: user.id) { old in
                var new = old
                new.lockout = AccountLockout()
                return new
            })
    }

    /// The account `text` names (`[STORE/]user[@tenant]`), compared canonically (AU-9);
    /// nil when none, or when the text names a store the account is not in.
    func account(named text: String) async throws -> User? {
        guard let login = try? LoginIdentifier(parsing: text, knownTenants: settings.tenants),
            let user = try await storage.users.find(username: login.username, tenant: login.tenant)
        else { return nil }
        if let store = login.userStore, store != user.userStore.uppercased() { return nil }
        return user
    }

    /// A refusal that costs what a real check costs (AU-5).
    private func refuse(_ password: String) -> PasswordCheck {
        hasher.verifyAgainstNothing(password)
        return .refused
    }

    /// Checks a username and password outside a flow (the OAuth password grant, HTTP Basic
    /// on the self-service APIs): the same lookup, lock and limits as the login form. An
    /// account whose password an admin set must change it at the login page first.
    public func verifyCredentials(username: String, password: String, client: String?) async throws -> User? {
        guard case .accepted(let user) = try await checkPassword(username: username, password: password, client: client),
            !user.mustChangePassword
        else { return nil }
        return user
    }

    // MARK: the password-change page

    /// An admin set the account's password: before the login goes on, the person chooses
    /// their own (its CSRF token is the flow's, renewed for the page).
    func showPasswordChange(_ flow: AuthenticationFlowState, userID: String, error: String? = nil) async throws -> FlowOutcome {
        let token = random.token()
        let updated = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.stage = .changePassword
            new.passwordChangeUserID = userID
            new.csrfToken = token
            return new
        }
        let serviceProvider = try await storage.serviceProviders.get(name: updated.serviceProvider)
        return FlowOutcome(
            action: .changePassword(
                PasswordChangePage(flowID: updated.id, csrfToken: updated.csrfToken, serviceProvider: serviceProvider.name, error: error)))
    }

    /// The new password, twice. It must satisfy the policy and differ from the one the
    /// admin set; then it is stored, the flag cleared, and the step passed.
    public func submitPasswordChange(
        flowID: String, csrfToken: String, password: String, confirmation: String, browserBinding: String?, sessionToken: String?
    ) async throws -> FlowOutcome {
        let verified = try await verifiedFlow(flowID, csrfToken: csrfToken, browserBinding: browserBinding, stage: .changePassword)
        let flow = try await claim(verified)
        guard let userID = flow.passwordChangeUserID else { throw AuthError(.authUnexpectedForm, detail: "no password is waiting to be changed") }
        let user = try await storage.users.get(id: userID)
        var problem = settings.passwordPolicy.problem(with: password, username: user.username)
        if problem == nil, password != confirmation { problem = "The passwords do not match." }
        if problem == nil, let hash = user.passwordHash, hasher.verify(password, against: hash) {
            problem = "Choose a new password, not the one you were given."
        }
        if let problem { return try await showPasswordChange(flow, userID: userID, error: problem) }
        let hash = hasher.hash(password)
        try await storage.users.update(id: userID) { old in
            var new = old
            new.passwordHash = hash
            new.mustChangePassword = false
            return new
        }
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        return try await stepPassed(flow, option: AuthenticationSequence.basic, user: .account(userID), serviceProvider, sessionToken: sessionToken)
    }
}

/// The account may not be checked now (locked); reported as a plain refusal.
private struct AccountUnavailable: Error {}

/// The page asking a person to replace a password an admin set.
public struct PasswordChangePage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    public var error: String?
}

extension AuthenticationEngine {
    /// A check of a secret that is no account's password (the admin API's credentials),
    /// under the same per-address limit (AU-7): true or false, or nil when the address
    /// has used up its failures and nothing was checked.
    public func limitedCheck(client: String?, _ check: () -> Bool) -> Bool? {
        guard let client else { return check() }
        guard throttle.begin(client, now: clock.now) else { return nil }
        let passed = check()
        if passed { throttle.succeeded(client) }
        return passed
    }
}
