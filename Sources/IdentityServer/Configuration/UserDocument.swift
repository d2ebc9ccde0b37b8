public import IdentityCore
import OneTimePasswords

/// A user as written in `users/*.yaml` or posted to the admin API. The password is
/// plain text here (test fixtures) and hashed before it is stored.
public struct UserDocument: Decodable, Sendable {
    public var username: String
    public var password: String?
    public var tenant: String
    public var userStore: String
    /// Claim short names (`emailaddress`) or local claim URIs → value.
    public var claims: [String: String]
    public var roles: [String]
    public var locked: Bool
    /// MF-1: an already enrolled TOTP secret (base32), for test users.
    public var totpSecret: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case username, password, tenant, userStore, claims, roles, locked, totpSecret }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        username = try c.decode(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant) ?? Tenant.superTenant
        userStore = (try c.decodeIfPresent(String.self, forKey: .userStore) ?? UserStoreName.primary).uppercased()
        claims = try c.decodeIfPresent([String: String].self, forKey: .claims) ?? [:]
        roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
        locked = try c.decodeIfPresent(Bool.self, forKey: .locked) ?? false
        totpSecret = try c.decodeIfPresent(String.self, forKey: .totpSecret)
    }

    /// AU-9: the username must be one (RFC 8265, one script, no `/`) and must not end in a
    /// known tenant (`erin@example.org` names erin of that tenant); the store and tenant
    /// must exist. Values an XML document cannot carry (C0 controls other than tab, LF,
    /// CR) are refused: stored, they would break every assertion issued for the user.
    public func validate(
        dialect: ClaimDialect = .standard, userStores: [String] = [UserStoreName.primary], tenants: [String] = [Tenant.superTenant]
    ) throws(IdentityError) {
        if let problem = UsernameProfile.problem(with: username) { throw problem.error(username) }
        let knownTenants = Set(tenants.map { $0.lowercased() })
        if let at = username.lastIndex(of: "@"), knownTenants.contains(String(username[username.index(after: at)...]).lowercased()) {
            throw IdentityError(
                .userInvalidUsername, field: "username", value: username,
                detail: "a username cannot end with a tenant domain; give the tenant as `tenant:` instead")
        }
        if !userStores.contains(where: { $0.uppercased() == userStore }) {
            throw IdentityError(.userInvalidIdentifier, field: "userStore", value: userStore, detail: "no such user store (server.yaml userStores)")
        }
        if !knownTenants.contains(tenant.lowercased()) {
            throw IdentityError(.userInvalidIdentifier, field: "tenant", value: tenant, detail: "no such tenant (server.yaml tenants)")
        }
        if let secret = totpSecret, (Base32.decode(secret)?.count ?? 0) < 10 {
            throw IdentityError(.userInvalidClaim, field: "totpSecret", detail: "a TOTP secret is base32 of at least 10 bytes")
        }
        for name in claims.keys.sorted() where !dialect.contains(LocalClaims.uri(name)) {
            throw IdentityError(.userInvalidClaim, field: "claims.\(name)", detail: "no such local claim in the dialect")
        }
        let values = [("username", username)] + claims.sorted { $0.key < $1.key }.map { ("claims.\($0.key)", $0.value) }
        for (field, value) in values where value.unicodeScalars.contains(where: { $0.value < 0x20 && ![0x09, 0x0A, 0x0D].contains($0.value) }) {
            throw IdentityError(.userInvalidClaim, field: field, detail: "control characters cannot be stored in a user's claims")
        }
    }

    /// The stored account, with claim names resolved to local URIs and the username in the
    /// form accounts keep (width-mapped, NFC; case as written). Valid documents only.
    public func user(id: String, passwordHash: String?) -> User {
        User(
            id: id, tenant: tenant, userStore: userStore, username: (try? UsernameProfile.display(username)) ?? username, passwordHash: passwordHash,
            claims: Dictionary(uniqueKeysWithValues: claims.map { (LocalClaims.uri($0.key), $0.value) }), roles: roles,
            locked: locked, totpSecret: totpSecret)
    }
}

/// `users/*.yaml`: `users: [ … ]`.
public struct UsersFile: Decodable, Sendable {
    public var users: [UserDocument]
}
