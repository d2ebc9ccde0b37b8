public import Foundation
public import IdentityCore

/// Server-wide rules of the flow engine.
public struct AuthenticationSettings: Sendable {
    /// How long a login may stay unfinished.
    public var flowLifetime: TimeInterval
    /// How long an SSO session lives after login.
    public var sessionLifetime: TimeInterval
    /// Failed password attempts allowed in one flow; the last one ends the flow.
    public var maximumAttempts: Int
    /// User stores searched, in order, when a login names none (PRIMARY first).
    public var userStores: [String]
    /// Tenants that exist; `user@tenant` names one of these.
    public var tenants: Set<String>
    /// The local claims that exist, with how a person gives each (CL-3).
    public var dialect: ClaimDialect
    /// JIT-7: enhanced JIT provisioning (a server-wide flag).
    public var enhancedJIT: Bool
    /// Where federated IdPs send people back (`<base>/commonauth`); read when needed, as
    /// the base URL may be learnt only once the server listens.
    public var callbackURL: @Sendable () -> String
    /// AU-7: locking an account after failed password checks.
    public var accountLock: AccountLockPolicy
    /// AU-7: failed password checks allowed per client address.
    public var addressLimit: AddressLimit
    /// Passwords people and API clients choose.
    public var passwordPolicy: PasswordPolicy

    public init(
        flowLifetime: TimeInterval = 600, sessionLifetime: TimeInterval = 8 * 3600, maximumAttempts: Int = 5,
        userStores: [String] = [UserStoreName.primary], tenants: Set<String> = [Tenant.superTenant], dialect: ClaimDialect = .standard,
        enhancedJIT: Bool = false, callbackURL: @escaping @Sendable () -> String = { "http://127.0.0.1/commonauth" },
        accountLock: AccountLockPolicy = AccountLockPolicy(), addressLimit: AddressLimit = AddressLimit(),
        passwordPolicy: PasswordPolicy = PasswordPolicy()
    ) {
        self.flowLifetime = flowLifetime
        self.sessionLifetime = sessionLifetime
        self.maximumAttempts = maximumAttempts
        self.userStores = userStores
        self.tenants = tenants
        self.dialect = dialect
        self.enhancedJIT = enhancedJIT
        self.callbackURL = callbackURL
        self.accountLock = accountLock
        self.addressLimit = addressLimit
        self.passwordPolicy = passwordPolicy
    }
}
