public import IdentityCore

/// Which subject and claims an SP receives for a user (CL-1, CL-2, CL-5).
public enum ClaimRelease {
    /// The subject identifier: the value of the SP's subject claim, else the username.
    public static func subject(for user: User, serviceProvider: ServiceProvider) -> String {
        if let claim = serviceProvider.claims.subjectClaim, let value = value(of: claim, for: user), !value.isEmpty {
            return value
        }
        return user.username
    }

    /// Requested or mandatory claims that have a value, under the SP's names.
    public static func claims(for user: User, serviceProvider: ServiceProvider) -> [ReleasedClaim] {
        serviceProvider.claims.released.compactMap { spClaim, localClaim in
            value(of: localClaim, for: user).map { ReleasedClaim(name: spClaim, localClaim: localClaim, value: $0) }
        }
    }

    /// A local claim's value; the username and roles are claims too.
    public static func value(of localClaim: String, for user: User) -> String? {
        switch localClaim {
        case LocalClaims.username: user.username
        case LocalClaims.role: user.roles.isEmpty ? nil : user.roles.joined(separator: ",")
        default: user.claims[localClaim]
        }
    }
}
