import Foundation
public import IdentityCore
import IdentityStorage

/// AU-9, CL-5: the subject an SP receives, refused when it would not name one person.
extension AuthenticationEngine {
    /// `ClaimRelease.subject`, checked: when it is the value of the SP's subject claim, no
    /// other account may yield the same subject (an account holding that value, or one
    /// whose username it is and which has no value of its own), and it may not have the
    /// shape of a federated subject (`<existing IdP>/…`). A refusal names nobody: the
    /// login ends at the SP as denied, and the detail goes to the log.
    public func subject(for user: User, serviceProvider: ServiceProvider) async throws -> String {
        let subject = ClaimRelease.subject(for: user, serviceProvider: serviceProvider)
        guard let value = ClaimRelease.subjectIsClaimValue(for: user, serviceProvider: serviceProvider) else { return subject }
        var others = try await storage.users.find(claim: serviceProvider.claims.subjectClaim ?? "", value: value)
        if let named = try await storage.users.find(username: value, tenant: user.tenant) { others.append(named) }
        for other in others where other.id != user.id && ClaimRelease.subject(for: other, serviceProvider: serviceProvider) == subject {
            throw AuthError(
                .authSubjectNotUnique, value: serviceProvider.name,
                detail: "account \(other.id) would have the same subject at this SP as account \(user.id) (subject claim value shared)")
        }
        if let slash = value.firstIndex(of: "/"), (try? await storage.identityProviders.get(name: String(value[..<slash]))) != nil {
            throw AuthError(
                .authSubjectNotUnique, value: serviceProvider.name, detail: "account \(user.id)'s subject claim value has the shape of a federated subject")
        }
        return subject
    }
}
