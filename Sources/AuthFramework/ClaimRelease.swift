public import IdentityCore

/// Which subject and claims an SP receives for a user (CL-1, CL-2, CL-5, CL-6, CL-7).
public enum ClaimRelease {
    /// CL-5/CL-6, AU-9: the subject identifier, built so that no two people yield the same
    /// one for an SP:
    /// - an account: the value of the SP's subject claim (else the username — unique in its
    ///   tenant across every store), with the user store prefixed (`SECONDARY/alice`) and
    ///   the tenant appended (`alice@example.org`) when the SP asks; a user of another
    ///   tenant than the SP's (a SaaS SP) always carries the tenant, since `erin` of
    ///   `example.org` is not `erin` of `carbon.super`;
    /// - a person as their IdP presented them (no account, or an SP that does not use the
    ///   mapped local subject): `<idp>/<user ID at the IdP>` — an account's subject never
    ///   holds a `/` except after a user store's name, and no IdP may be named like one.
    /// A subject claim's value is checked against other accounts by the engine
    /// (`AuthenticationEngine.subject`), since that takes a lookup.
    public static func subject(for user: User, serviceProvider: ServiceProvider) -> String {
        if user.userStore == UserStoreName.federated, let link = user.federation {
            return "\(link.identityProvider)/\(link.subject)"
        }
        let settings = serviceProvider.claims
        var subject = user.username
        if let claim = settings.subjectClaim, let value = values(of: claim, for: user, serviceProvider: serviceProvider).first, !value.isEmpty {
            subject = value
        }
        if settings.subjectIncludesUserStoreDomain { subject = "\(user.userStore)/\(subject)" }
        if settings.subjectIncludesTenantDomain || user.tenant.lowercased() != serviceProvider.tenant.lowercased() { subject += "@\(user.tenant)" }
        return subject
    }

    /// Whether the subject comes from the SP's subject claim (a value any account may
    /// hold) rather than the username or the IdP.
    static func subjectIsClaimValue(for user: User, serviceProvider: ServiceProvider) -> String? {
        guard user.userStore != UserStoreName.federated, let claim = serviceProvider.claims.subjectClaim, claim != LocalClaims.username,
            let value = values(of: claim, for: user, serviceProvider: serviceProvider).first, !value.isEmpty
        else { return nil }
        return value
    }

    /// CL-2: requested or mandatory claims that have a value, under the SP's names,
    /// limited to `permitted` (the claims the person's consent covers; nil when the SP
    /// skips consent). The role claim gives one value per role, named as the SP names
    /// roles (CL-7).
    public static func claims(for user: User, serviceProvider: ServiceProvider, permitted: Set<String>? = nil) -> [ReleasedClaim] {
        serviceProvider.claims.released.flatMap { spClaim, localClaim in
            permitted.map { !$0.contains(localClaim) } ?? false
                ? []
                : values(of: localClaim, for: user, serviceProvider: serviceProvider).map {
                    ReleasedClaim(name: spClaim, localClaim: localClaim, value: $0)
                }
        }
    }

    /// CL-4: the local claims a person's consent lets the SP have — exactly those the
    /// receipt grants (mandatory ones included: approving grants them). Nil when the SP
    /// skips consent. With no receipt (never asked, or revoked) nothing is permitted, so
    /// tokens issued earlier stop carrying claims the person has taken back, and a claim
    /// the SP asks for later is not released until the person has said yes to it.
    public static func permitted(for serviceProvider: ServiceProvider, receipt: ConsentReceipt?) -> Set<String>? {
        serviceProvider.claims.skipConsent ? nil : Set(receipt?.granted ?? [])
    }

    /// A local claim's values for an SP. The username is a claim; roles are the role
    /// claim's values, mapped to the SP's role names.
    public static func values(of localClaim: String, for user: User, serviceProvider: ServiceProvider) -> [String] {
        if isRoleClaim(localClaim, serviceProvider) {
            let mappings = serviceProvider.claims.roleMappings
            return user.roles.map { role in mappings.first { $0.local == role }?.sp ?? role }
        }
        return value(of: localClaim, for: user).map { [$0] } ?? []
    }

    /// CL-7: the claim that carries roles is the SP's role claim (by its name for it), or
    /// else the local role claim.
    static func isRoleClaim(_ localClaim: String, _ serviceProvider: ServiceProvider) -> Bool {
        let settings = serviceProvider.claims
        guard let roleClaim = settings.roleClaim else { return localClaim == LocalClaims.role }
        return settings.mappings.contains { $0.local == localClaim && $0.name(in: settings.dialect) == roleClaim } || localClaim == roleClaim
    }

    /// A local claim's single stored value; the username is a claim too.
    public static func value(of localClaim: String, for user: User) -> String? {
        switch localClaim {
        case LocalClaims.username: user.username
        case LocalClaims.role: user.roles.isEmpty ? nil : user.roles.joined(separator: ",")
        default: user.claims[localClaim].flatMap { $0.isEmpty ? nil : $0 }
        }
    }
}
