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

    public init(
        id: String, tenant: String = Tenant.superTenant, userStore: String = UserStoreName.primary, username: String,
        passwordHash: String? = nil, claims: [String: String] = [:], roles: [String] = [], locked: Bool = false,
        federation: FederatedAccount? = nil, totpSecret: String? = nil
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
    }

    public var identifier: UserIdentifier {
        UserIdentifier(tenant: tenant, userStore: userStore, username: username)
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

import Foundation
