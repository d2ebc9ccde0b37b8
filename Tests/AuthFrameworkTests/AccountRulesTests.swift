@testable import AuthFramework
import Foundation
import IdentityCore
import IdentityStorage
import Testing

/// AU-7, AU-9, JIT-8 in the engine, with the codes an SP only hears as "denied".
struct AccountRulesTests {
    let storage = Storage.inMemory()
    let clock = FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000))
    let engine: AuthenticationEngine
    let browser = "browser-binding-1"

    init() {
        engine = AuthenticationEngine(
            storage: storage, clock: clock, random: SeededRandomSource(seed: 4), hasher: PasswordHasher(iterations: 1, random: SeededRandomSource(seed: 5)),
            settings: AuthenticationSettings(
                userStores: [UserStoreName.primary, "SECONDARY"], accountLock: AccountLockPolicy(maximumFailures: 3, lockDuration: 60),
                addressLimit: AddressLimit(maximumFailures: 0)))
    }

    static let partner = IdentityProvider(
        name: "partner", kind: .oidc, claims: IdPClaimConfiguration(mappings: [IdPClaimMapping(idp: "email", local: LocalClaims.emailAddress)]),
        jit: JITSettings(mode: .silent, userStore: "SECONDARY"))

    func setUp(_ sp: ServiceProvider = ServiceProvider(name: "app", claims: ClaimConfiguration(skipConsent: true))) async throws {
        try await storage.serviceProviders.create(sp)
        try await storage.identityProviders.create(Self.partner)
        try await storage.users.create(User(id: "bob", username: "bob", passwordHash: engine.hasher.hash("bob-password")))
    }

    /// A federated answer for `subject` handed to the engine as a connector would.
    func federated(_ subject: String) async throws -> FlowOutcome {
        let start = try await engine.start(
            AuthenticationRequest(serviceProvider: "app", inboundProtocol: "test", inboundContext: Data()), browserBinding: browser)
        let flow = try #require(try await storage.flows.get(id: start.flowID))
        return try await engine.federated(
            flow, identity: FederatedIdentity(identityProvider: "partner", subject: subject, claims: ["email": ["x@partner.example"]]),
            idp: Self.partner, try await storage.serviceProviders.get(name: "app"), sessionToken: nil)
    }

    @Test(arguments: [("bob", ErrorCode.authJITUsernameTaken), ("\u{FF42}\u{FF4F}\u{FF42}", .authJITUsernameTaken), ("b\u{043E}b", .authJITUsernameInvalid), ("has space", .authJITUsernameInvalid)])
    func silentJITRefusesAUserIDThatIsAUsernameOfAnyStoreOrNoUsername(_ subject: String, _ code: ErrorCode) async throws {
        try await setUp()
        guard case .fail(let error, _) = try await federated(subject).action else {
            Issue.record("provisioned \(subject)")
            return
        }
        #expect(error.code == code)
        #expect(try await storage.users.list().map(\.id) == ["bob"])
    }

    @Test func aSubjectClaimValueAnotherAccountHoldsIsRefused() async throws {
        try await setUp(ServiceProvider(name: "app", claims: ClaimConfiguration(subjectClaim: LocalClaims.emailAddress, skipConsent: true)))
        try await storage.users.create(User(id: "carol", username: "carol", claims: [LocalClaims.emailAddress: "x@partner.example"]))
        let provisioned = try await federated("p-1")
        guard case .fail(let error, _) = provisioned.action else {
            Issue.record("the SP got a subject two accounts share")
            return
        }
        #expect(error.code == .authSubjectNotUnique)
        #expect(error.endsAtServiceProvider)
    }

    @Test func failuresAreCountedBeforeTheComparisonSoParallelGuessesStopAtTheLimit() async throws {
        try await setUp()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask { _ = try? await engine.checkPassword(username: "bob", password: "guess-\(index)", client: nil) }
            }
        }
        // One lock from the first three; the other 37 were refused without being compared
        // (compared, they would have counted and locked again).
        let bob = try await storage.users.get(id: "bob")
        #expect(bob.lockout == AccountLockout(failures: 0, lockedUntil: clock.now.addingTimeInterval(60), lockCount: 1))
        guard case .refused = try await engine.checkPassword(username: "bob", password: "bob-password", client: nil) else {
            Issue.record("a locked account accepted its password")
            return
        }
    }

    @Test func aLockRunsOutAndTheNextOneLastsLonger() async throws {
        try await setUp()
        for guess in ["a", "b", "c"] { _ = try await engine.checkPassword(username: "bob", password: guess, client: nil) }
        #expect(try await storage.users.get(id: "bob").lockout.lockedUntil == clock.now.addingTimeInterval(60))
        clock.advance(by: 61)
        for guess in ["d", "e", "f"] { _ = try await engine.checkPassword(username: "bob", password: guess, client: nil) }
        #expect(try await storage.users.get(id: "bob").lockout.lockedUntil == clock.now.addingTimeInterval(120))
    }

    @Test func aFlowThatIsGoneIsExpiredForThePersonNotAStorageError() async throws {
        await #expect(throws: AuthError(.authFlowExpired, detail: "")) {
            try await storage.flows.advance(id: "gone") { $0 }
        }
        await #expect(throws: AuthError(.authFlowExpired, detail: "")) { try await storage.flows.end(id: "gone") }
    }
}
