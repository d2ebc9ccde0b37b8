import IdentityCore
import Testing

@Suite struct LoginIdentifierTests {
    let tenants: Set<String> = ["carbon.super", "example.org"]

    @Test func aPlainNameIsInThePrimaryStoreOfTheSuperTenant() throws {
        let login = try LoginIdentifier(parsing: "alice", knownTenants: tenants)
        #expect(login.tenant == Tenant.superTenant)
        #expect(login.userStore == nil)
        #expect(login.username == "alice")
    }

    @Test func aKnownTenantSuffixNamesTheTenant() throws {
        let login = try LoginIdentifier(parsing: "SECONDARY/alice@example.org", knownTenants: tenants)
        #expect(login.tenant == "example.org")
        #expect(login.userStore == "SECONDARY")
        #expect(login.username == "alice")
    }

    @Test func anEmailAddressIsAUsernameWhenItsDomainIsNoTenant() throws {
        let login = try LoginIdentifier(parsing: "alice@gmail.com", knownTenants: tenants)
        #expect(login.tenant == Tenant.superTenant)
        #expect(login.username == "alice@gmail.com")
    }

    @Test func anEmptyUsernameIsRefused() {
        #expect(throws: IdentityError(.userInvalidIdentifier, detail: "")) { try LoginIdentifier(parsing: "  ", knownTenants: tenants) }
        #expect(throws: IdentityError(.userInvalidIdentifier, detail: "")) { try LoginIdentifier(parsing: "/alice", knownTenants: tenants) }
    }
}
