public import Foundation

/// A user account in one of the server's user stores.
public struct User: Codable, Hashable, Sendable {
    /// Opaque, stable identifier (never shown as the subject unless configured).
    public var id: String
    public var tenant: String
    public var userStore: String
    public var username: String
    /// Encoded password hash (`pbkdf2-sha256$…`); nil for accounts without a password.
    public var passwordHash: String?
    /// Local claim URI → value.
    public var claims: [String: String]
    public var roles: [String]
    public var locked: Bool
    /// JIT-6: the IdP person this account was provisioned from, if any; unique.
    public var federation: FederatedAccount?
    /// MF-1: the TOTP secret (base32), once enrolled.
    public var totpSecret: String?
    /// AU-7: failed password checks since the last success, and the temporary lock they
    /// led to. `locked` is the other lock: an admin's (or JIT-7's), until lifted.
    public var lockout: AccountLockout
    /// An admin set this password: the person must choose their own at the next login.
    public var mustChangePassword: Bool

    public init(
        id: String, tenant: String = Tenant.superTenant, userStore: String = UserStoreName.primary, username: String,
        passwordHash: String? = nil, claims: [String: String] = [:], roles: [String] = [], locked: Bool = false,
        federation: FederatedAccount? = nil, totpSecret: String? = nil, lockout: AccountLockout = AccountLockout(),
        mustChangePassword: Bool = false
    ) {
        self.id = id
        self.tenant = tenant
        self.userStore = userStore
        self.username = username
        self.passwordHash = passwordHash
        self.claims = claims
        self.roles = roles
        self.locked = locked
        self.federation = federation
        self.totpSecret = totpSecret
        self.lockout = lockout
        self.mustChangePassword = mustChangePassword
    }

    enum CodingKeys: String, CodingKey {
        case id, tenant, userStore, username, passwordHash, claims, roles, locked, federation, totpSecret, lockout, mustChangePassword
    }

    /// Records stored before a field existed decode with its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        tenant = try c.decode(String.self, forKey: .tenant)
        userStore = try c.decode(String.self, forKey: .userStore)
        username = try c.decode(String.self, forKey: .username)
        passwordHash = try c.decodeIfPresent(String.self, forKey: .passwordHash)
        claims = try c.decodeIfPresent([String: String].self, forKey: .claims) ?? [:]
        roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
        locked = try c.decodeIfPresent(Bool.self, forKey: .locked) ?? false
        federation = try c.decodeIfPresent(FederatedAccount.self, forKey: .federation)
        totpSecret = try c.decodeIfPresent(String.self, forKey: .totpSecret)
        lockout = try c.decodeIfPresent(AccountLockout.self, forKey: .lockout) ?? AccountLockout()
        mustChangePassword = try c.decodeIfPresent(Bool.self, forKey: .mustChangePassword) ?? false
    }

    public var identifier: UserIdentifier {
        UserIdentifier(tenant: tenant, userStore: userStore, username: username)
    }

    /// AU-9: what makes an account unique — its tenant and its canonical username, in any
    /// user store: `PRIMARY/bob` and `SECONDARY/bob` (or `ｂｏｂ`) cannot both exist.
    public var uniqueKey: String {
        UserIdentifier.uniqueKey(tenant: tenant, username: username)
    }

    /// The order lists show accounts in: tenant, user store, username.
    public var listOrder: String {
        "\(tenant.lowercased())/\(userStore.uppercased())/\(username.lowercased())"
    }

    /// Whether a password check may be made now (AU-7): not locked by an admin, and any
    /// temporary lock has run out.
    public func isLocked(at now: Date) -> Bool {
        locked || (lockout.lockedUntil.map { $0 > now } ?? false)
    }
}

/// AU-7: an account's failed password checks and the temporary lock they led to.
public struct AccountLockout: Codable, Hashable, Sendable {
    /// Failed checks since the last success, counting checks still in progress (a check
    /// is counted before the password is compared, so parallel guesses cannot slip past).
    public var failures: Int
    /// Until when the account is locked, if it is.
    public var lockedUntil: Date?
    /// Locks since the last successful check: each makes the next one longer.
    public var lockCount: Int

    public init(failures: Int = 0, lockedUntil: Date? = nil, lockCount: Int = 0) {
        self.failures = failures
        self.lockedUntil = lockedUntil
        self.lockCount = lockCount
    }
}

/// Tenant, user store and username: the unique key of a user.
public struct UserIdentifier: Hashable, Sendable, Codable, CustomStringConvertible {
    public var tenant: String
    public var userStore: String
    public var username: String

    public init(tenant: String = Tenant.superTenant, userStore: String = UserStoreName.primary, username: String) {
        self.tenant = tenant
        self.userStore = userStore
        self.username = username
    }

    /// AU-9: tenant and canonical username (a name that cannot be one is compared as its
    /// lowercase, which no valid name equals).
    public static func uniqueKey(tenant: String, username: String) -> String {
        "\(tenant.lowercased())/" + (UsernameProfile.lookupKey(username) ?? "\u{0}" + username.lowercased())
    }

    /// `STORE/user@tenant`, with the parts that are defaults left out.
    public var description: String {
        var s = userStore == UserStoreName.primary ? username : "\(userStore)/\(username)"
        if tenant != Tenant.superTenant { s += "@\(tenant)" }
        return s
    }
}

/// How a person names themselves at a login page: `[STORE/]user[@tenant]`.
///
/// An `@` suffix is a tenant only when it names a known tenant; otherwise the whole text
/// is the username (so `alice@example.com` can be a username in the super tenant).
public struct LoginIdentifier: Hashable, Sendable {
    public var tenant: String
    /// Nil when the person did not name a store (then every store is searched, PRIMARY first).
    public var userStore: String?
    public var username: String

    public init(parsing text: String, knownTenants: Set<String>) throws(IdentityError) {
        var rest = text.trimmingCharacters(in: .whitespaces)
        var store: String?
        if let slash = rest.firstIndex(of: "/") {
            let candidate = String(rest[..<slash])
            guard !candidate.isEmpty else {
                throw IdentityError(.userInvalidIdentifier, field: "username", detail: "empty user store name")
            }
            store = candidate.uppercased()
            rest = String(rest[rest.index(after: slash)...])
        }
        var tenant = Tenant.superTenant
        if let at = rest.lastIndex(of: "@") {
            let candidate = String(rest[rest.index(after: at)...]).lowercased()
            if knownTenants.contains(candidate) {
                tenant = candidate
                rest = String(rest[..<at])
            }
        }
        guard !rest.isEmpty else {
            throw IdentityError(.userInvalidIdentifier, field: "username", detail: "empty username")
        }
        self.tenant = tenant
        self.userStore = store
        self.username = rest
    }
}

