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

    /// Refuses values an XML document cannot carry (C0 controls other than tab, LF, CR):
    /// stored, they would break every assertion issued for the user.
    public func validate(dialect: ClaimDialect = .standard) throws(IdentityError) {
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

    /// The stored account, with claim names resolved to local URIs.
    public func user(id: String, passwordHash: String?) -> User {
        User(
            id: id, tenant: tenant, userStore: userStore, username: username, passwordHash: passwordHash,
            claims: Dictionary(uniqueKeysWithValues: claims.map { (LocalClaims.uri($0.key), $0.value) }), roles: roles,
            locked: locked, totpSecret: totpSecret)
    }
}

/// `users/*.yaml`: `users: [ … ]`.
public struct UsersFile: Decodable, Sendable {
    public var users: [UserDocument]
}
