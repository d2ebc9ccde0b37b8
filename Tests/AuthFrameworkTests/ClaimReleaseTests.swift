import AuthFramework
import Foundation
import IdentityCore
import Testing

/// CL-1, CL-2, CL-5, CL-6, CL-7: what an SP receives for a user.
struct ClaimReleaseTests {
    let alice = User(
        id: "u1", tenant: "example.org", userStore: "SECONDARY", username: "alice",
        claims: [LocalClaims.emailAddress: "alice@example.org", LocalClaims.givenName: "Alice", LocalClaims.mobile: "+94 77 000 0000"],
        roles: ["admin", "everyone"])

    /// An SP of alice's own tenant.
    func provider(_ claims: ClaimConfiguration) -> ServiceProvider {
        ServiceProvider(name: "app", tenant: "example.org", claims: claims)
    }

    @Test func theSubjectIsTheUsernameUnlessASubjectClaimIsChosen() {
        #expect(ClaimRelease.subject(for: alice, serviceProvider: provider(ClaimConfiguration())) == "alice")
        #expect(ClaimRelease.subject(for: alice, serviceProvider: provider(ClaimConfiguration(subjectClaim: LocalClaims.emailAddress)))
            == "alice@example.org")
    }

    @Test func anEmptySubjectClaimFallsBackToTheUsername() {
        #expect(ClaimRelease.subject(for: alice, serviceProvider: provider(ClaimConfiguration(subjectClaim: LocalClaims.country))) == "alice")
    }

    @Test func subjectOptionsPrefixTheStoreAndAppendTheTenant() {
        let both = ClaimConfiguration(subjectIncludesTenantDomain: true, subjectIncludesUserStoreDomain: true)
        #expect(ClaimRelease.subject(for: alice, serviceProvider: provider(both)) == "SECONDARY/alice@example.org")
        #expect(ClaimRelease.subject(for: alice, serviceProvider: provider(ClaimConfiguration(subjectIncludesTenantDomain: true)))
            == "alice@example.org")
    }

    @Test func aUserOfAnotherTenantAlwaysCarriesHerTenant() {
        // AU-9: at a SaaS SP, erin of example.org is not erin of carbon.super.
        var saas = ServiceProvider(name: "app", claims: ClaimConfiguration())
        saas.saas = true
        #expect(ClaimRelease.subject(for: alice, serviceProvider: saas) == "alice@example.org")
    }

    @Test func aPersonWithoutAnAccountIsNamedByTheirIdPAndItsUserID() {
        // AU-9: no account's subject has that shape, so a hostile IdP cannot assert `alice`.
        let presented = User(
            id: "federated:google:alice", userStore: UserStoreName.federated, username: "alice",
            federation: FederatedAccount(identityProvider: "google", subject: "alice"))
        #expect(ClaimRelease.subject(for: presented, serviceProvider: provider(ClaimConfiguration())) == "google/alice")
        let options = ClaimConfiguration(subjectIncludesTenantDomain: true, subjectIncludesUserStoreDomain: true)
        #expect(ClaimRelease.subject(for: presented, serviceProvider: provider(options)) == "google/alice")
    }

    @Test func onlyRequestedOrMandatoryClaimsWithAValueAreReleasedUnderTheSPsNames() {
        let claims = ClaimConfiguration(
            dialect: .custom,
            mappings: [
                ClaimMapping(local: LocalClaims.emailAddress, sp: "mail", requested: false, mandatory: true),
                ClaimMapping(local: LocalClaims.givenName, sp: "first"),
                ClaimMapping(local: LocalClaims.mobile, sp: "phone", requested: false),
                ClaimMapping(local: LocalClaims.country, sp: "country"),
            ])
        let released = ClaimRelease.claims(for: alice, serviceProvider: provider(claims))
        #expect(released.map(\.name) == ["mail", "first"])
        #expect(released.map(\.value) == ["alice@example.org", "Alice"])
    }

    @Test func onlyTheClaimsAConsentReceiptGrantsAreReleased() {
        let claims = ClaimConfiguration(mappings: [
            ClaimMapping(local: LocalClaims.emailAddress, mandatory: true), ClaimMapping(local: LocalClaims.givenName),
        ])
        let receipt = ConsentReceipt(
            id: "r", userID: "u1", serviceProvider: "app", granted: [LocalClaims.emailAddress], denied: [LocalClaims.givenName],
            consentedAt: Date(timeIntervalSince1970: 0), version: 1)
        let permitted = ClaimRelease.permitted(for: provider(claims), receipt: receipt)
        #expect(ClaimRelease.claims(for: alice, serviceProvider: provider(claims), permitted: permitted).map(\.localClaim) == [LocalClaims.emailAddress])
        #expect(ClaimRelease.permitted(for: provider(claims), receipt: nil) == [], "no receipt: nothing")
    }

    @Test func anSPThatSkipsConsentGetsEveryRequestedClaim() {
        let claims = ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.givenName)], skipConsent: true)
        let permitted = ClaimRelease.permitted(for: provider(claims), receipt: nil)
        #expect(permitted == nil)
        #expect(ClaimRelease.claims(for: alice, serviceProvider: provider(claims), permitted: permitted).map(\.value) == ["Alice"])
    }

    @Test func rolesAreOneValueEachUnderTheSPsRoleNames() {
        let claims = ClaimConfiguration(
            dialect: .custom, mappings: [ClaimMapping(local: LocalClaims.role, sp: "groups")], roleClaim: "groups",
            roleMappings: [RoleMapping(local: "admin", sp: "Administrators")])
        let released = ClaimRelease.claims(for: alice, serviceProvider: provider(claims))
        #expect(released.map(\.name) == ["groups", "groups"])
        #expect(released.map(\.value) == ["Administrators", "everyone"])
    }
}
