@testable import AuthFramework
import Foundation
import IdentityCore
import IdentityStorage
import Testing

/// JIT provisioning in the engine: claim mapping (FE-2) and the rules of each mode.
struct ProvisioningRulesTests {
    let storage = Storage.inMemory()
    let identity = FederatedIdentity(
        identityProvider: "partner", subject: "p-123",
        claims: ["email": ["p@partner.example"], "given_name": ["Pat"], "nickname": ["pp"], "groups": ["staff", "admins"]])

    func engine(enhanced: Bool = false) -> AuthenticationEngine {
        AuthenticationEngine(
            storage: storage, clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 9),
            hasher: PasswordHasher(iterations: 1, random: SeededRandomSource(seed: 3)), settings: AuthenticationSettings(enhancedJIT: enhanced))
    }

    func idp(_ mode: JITSettings.Mode) -> IdentityProvider {
        IdentityProvider(
            name: "partner", kind: .oidc,
            claims: IdPClaimConfiguration(
                mappings: [IdPClaimMapping(idp: "email", local: LocalClaims.emailAddress), IdPClaimMapping(idp: "given_name", local: LocalClaims.givenName)],
                roleClaim: "groups"),
            jit: JITSettings(mode: mode, userStore: "SECONDARY"))
    }

    @Test func onlyMappedClaimsAreKeptAndRolesComeFromTheRoleClaim() {
        let (claims, roles) = AuthenticationEngine.mapped(identity, by: idp(.silent))
        #expect(claims == [LocalClaims.emailAddress: "p@partner.example", LocalClaims.givenName: "Pat"])
        #expect(roles == ["staff", "admins"])
    }

    @Test func aProvisionedAccountArrivesWholeInTheIdPsStoreLinkedToThePerson() async throws {
        let user = try await engine().provision(identity, idp: idp(.silent), username: "p-123", password: nil)
        let stored = try await storage.users.find(federation: FederatedAccount(identityProvider: "partner", subject: "p-123"))
        #expect(stored == user)
        #expect(stored?.userStore == "SECONDARY" && stored?.roles == ["staff", "admins"] && stored?.passwordHash != nil)
    }

    @Test func enhancedModeUsesANewFederatedIDAsUsernameOtherwiseTheIdPsUserID() {
        #expect(engine().derivedUsername(identity) == "p-123")
        let enhanced = engine(enhanced: true).derivedUsername(identity)
        #expect(enhanced != "p-123" && UUID(uuidString: enhanced) != nil)
    }

    @Test(arguments: ["", "has space", "a/b", String(repeating: "x", count: 65), "b\u{043E}b"])
    func unusableUsernamesAreRefused(_ username: String) {
        #expect(UsernameProfile.problem(with: username) != nil)
    }

    @Test func aUsernameEndingInAKnownTenantIsRefusedAtThePrompt() {
        #expect(AuthenticationEngine.tenantSuffixProblem("bob@carbon.super", tenants: [Tenant.superTenant]) != nil)
        #expect(AuthenticationEngine.tenantSuffixProblem("bob@example.com", tenants: [Tenant.superTenant]) == nil)
    }

    @Test(arguments: ["short", "", String(repeating: "a1", count: 65), "paula.park", "PAULA.PARK"])
    func passwordsAgainstThePolicyAreRefused(_ password: String) {
        #expect(PasswordPolicy().problem(with: password, username: "paula.park") != nil)
    }

    @Test func aPasswordOfEightToOneHundredTwentyEightCharactersOtherThanTheUsernameIsAccepted() {
        // NIST SP 800-63B: length, no composition rules.
        #expect(PasswordPolicy().problem(with: "allletters", username: "paula.park") == nil)
        #expect(PasswordPolicy().problem(with: "Partner2026", username: "paula.park") == nil)
        #expect(UsernameProfile.problem(with: "paula.park") == nil)
    }
}
