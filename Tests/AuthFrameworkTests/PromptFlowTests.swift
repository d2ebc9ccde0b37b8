import AuthFramework
import Foundation
import IdentityCore
import IdentityStorage
import Testing

/// CL-3 and CL-4 in the engine: authenticate → missing mandatory claims → consent →
/// result, and forged or stale forms refused without changing anything stored.
struct PromptFlowTests {
    let storage = Storage.inMemory()
    let engine: AuthenticationEngine
    let browser = "browser-binding-1"

    init() {
        engine = AuthenticationEngine(
            storage: storage, clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 4),
            hasher: PasswordHasher(iterations: 1, random: SeededRandomSource(seed: 5)),
            settings: AuthenticationSettings(tenants: [Tenant.superTenant, "example.org"]))
    }

    static let mappings = [
        ClaimMapping(local: LocalClaims.emailAddress, mandatory: true), ClaimMapping(local: LocalClaims.givenName),
        ClaimMapping(local: LocalClaims.lastName, mandatory: true),
    ]

    func setUp(mappings: [ClaimMapping] = Self.mappings, claims: [String: String] = [LocalClaims.emailAddress: "bob@example.com", LocalClaims.givenName: "Bob"], roles: [String] = []) async throws {
        try await storage.serviceProviders.create(ServiceProvider(name: "app", claims: ClaimConfiguration(mappings: mappings)))
        try await storage.users.create(
            User(id: "bob", username: "bob", passwordHash: engine.hasher.hash("bob-password"), claims: claims, roles: roles))
    }

    /// Starts a flow for `app` and logs bob in (or resumes with a session token).
    func login(forceConsent: Bool = false, sessionToken: String? = nil) async throws -> FlowOutcome {
        let start = try await engine.start(
            AuthenticationRequest(serviceProvider: "app", inboundProtocol: "test", inboundContext: Data(), forceConsent: forceConsent),
            browserBinding: browser)
        let resumed = try await engine.resume(flowID: start.flowID, sessionToken: sessionToken, browserBinding: browser)
        guard case .login(let page) = resumed.action else { return resumed }
        return try await engine.submitLogin(
            flowID: page.flowID, csrfToken: page.csrfToken, username: "bob", password: "bob-password", browserBinding: browser)
    }

    func storedClaims() async throws -> [String: String] { try await storage.users.get(id: "bob").claims }

    @Test func theClaimPromptListsExactlyTheMissingMandatoryClaimsAndConsentFollows() async throws {
        try await setUp()
        let outcome = try await login()
        let claims = try #require(outcome.action.claimsPage)
        #expect(claims.claims.map(\.uri) == [LocalClaims.lastName])

        let next = try await engine.submitClaims(
            flowID: claims.flowID, csrfToken: claims.csrfToken, values: [LocalClaims.lastName: " Builder "], browserBinding: browser)
        let consent = try #require(next.action.consentPage)
        #expect(consent.claims.map(\.definition.uri) == [LocalClaims.emailAddress, LocalClaims.givenName, LocalClaims.lastName])
        #expect(consent.claims.map(\.mandatory) == [true, false, true])
        #expect(try await storedClaims()[LocalClaims.lastName] == "Builder")
    }

    @Test func invalidValuesShowThePageAgainWithTheirErrorsAndStoreNothing() async throws {
        try await setUp(mappings: [ClaimMapping(local: LocalClaims.emailAddress, mandatory: true), ClaimMapping(local: LocalClaims.mobile, mandatory: true)], claims: [:])
        let claims = try #require(try await login().action.claimsPage)
        let again = try await engine.submitClaims(
            flowID: claims.flowID, csrfToken: claims.csrfToken,
            values: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.mobile: "not a number"], browserBinding: browser)
        let page = try #require(again.action.claimsPage)
        #expect(Set(page.errors.keys) == [LocalClaims.mobile])
        #expect(page.values[LocalClaims.emailAddress] == "bob@example.com")
        #expect(page.csrfToken != claims.csrfToken)
        #expect(try await storedClaims().isEmpty)
    }

    @Test func theReplacedCSRFTokenOfAnEarlierPageIsRefused() async throws {
        try await setUp()
        let claims = try #require(try await login().action.claimsPage)
        _ = try await engine.submitClaims(flowID: claims.flowID, csrfToken: claims.csrfToken, values: [LocalClaims.lastName: ""], browserBinding: browser)
        await #expect(throws: AuthError.self) {
            try await engine.submitClaims(
                flowID: claims.flowID, csrfToken: claims.csrfToken, values: [LocalClaims.lastName: "Builder"], browserBinding: browser)
        }
        #expect(try await storedClaims()[LocalClaims.lastName] == nil)
    }

    @Test func postingConsentWhileTheClaimPromptIsPendingIsRefused() async throws {
        try await setUp()
        let claims = try #require(try await login().action.claimsPage)
        let error = await #expect(throws: AuthError.self) {
            try await engine.submitConsent(flowID: claims.flowID, csrfToken: claims.csrfToken, approve: true, approved: [], browserBinding: browser)
        }
        #expect(error?.code == .authUnexpectedForm)
        #expect(try await storage.consents.find(userID: "bob", serviceProvider: "app") == nil)
    }

    @Test func answeringAClaimThePromptDidNotAskForIsRefused() async throws {
        try await setUp()
        let claims = try #require(try await login().action.claimsPage)
        let error = await #expect(throws: AuthError.self) {
            try await engine.submitClaims(
                flowID: claims.flowID, csrfToken: claims.csrfToken,
                values: [LocalClaims.lastName: "Builder", LocalClaims.emailAddress: "evil@example.com"], browserBinding: browser)
        }
        #expect(error?.code == .authUnexpectedField)
        #expect(error?.field == LocalClaims.emailAddress)
        #expect(try await storedClaims() == [LocalClaims.emailAddress: "bob@example.com", LocalClaims.givenName: "Bob"])
    }

    @Test func consentingToAClaimThePageDidNotOfferIsRefusedAndNamesTheField() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.lastName: "Builder"])
        let consent = try #require(try await login().action.consentPage)
        let error = await #expect(throws: AuthError.self) {
            try await engine.submitConsent(
                flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [LocalClaims.mobile], browserBinding: browser)
        }
        #expect(error?.code == .authUnexpectedField)
        #expect(error?.field == ConsentPage.fieldName(for: LocalClaims.mobile))
        #expect(try await storage.consents.find(userID: "bob", serviceProvider: "app") == nil)
    }

    @Test func denyingConsentEndsTheFlowAtTheSPAndStoresNoReceipt() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.lastName: "Builder"])
        let consent = try #require(try await login().action.consentPage)
        let outcome = try await engine.submitConsent(
            flowID: consent.flowID, csrfToken: consent.csrfToken, approve: false, approved: [], browserBinding: browser)
        guard case .fail(let error, let flow) = outcome.action else { Issue.record("expected a failure, got \(outcome.action)"); return }
        #expect(error.code == .authConsentDenied && error.endsAtServiceProvider)
        #expect(flow?.serviceProvider == "app")
        #expect(try await storage.consents.find(userID: "bob", serviceProvider: "app") == nil)
    }

    @Test func aReceiptCoversLaterLoginsUntilTheSPAsksForMoreThenOnlyTheNewClaimsAreAsked() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.givenName: "Bob", LocalClaims.lastName: "Builder"])
        let first = try await login()
        let consent = try #require(first.action.consentPage)
        let done = try await engine.submitConsent(
            flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [], browserBinding: browser)
        let result = try #require(done.action.result)
        #expect(result.claims.map(\.localClaim) == [LocalClaims.emailAddress, LocalClaims.lastName], "given name was deselected")
        let receipt = try #require(try await storage.consents.find(userID: "bob", serviceProvider: "app"))
        #expect(receipt.granted == [LocalClaims.emailAddress, LocalClaims.lastName] && receipt.denied == [LocalClaims.givenName])

        let session = try #require(first.newSessionToken)
        let again = try await login(sessionToken: session)
        #expect(try #require(again.action.result).claims.map(\.localClaim) == [LocalClaims.emailAddress, LocalClaims.lastName])

        _ = try await storage.serviceProviders.update(name: "app") { old in
            var new = old
            new.claims.mappings.append(ClaimMapping(local: LocalClaims.country))
            return new
        }
        let grown = try await login(sessionToken: session)
        #expect(try #require(grown.action.consentPage).claims.map(\.definition.uri) == [LocalClaims.country])
    }

    @Test func forcedConsentAsksForEveryClaimAgain() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.lastName: "Builder"])
        let first = try await login()
        let consent = try #require(first.action.consentPage)
        _ = try await engine.submitConsent(
            flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [LocalClaims.givenName], browserBinding: browser)
        let forced = try await login(forceConsent: true, sessionToken: first.newSessionToken)
        #expect(try #require(forced.action.consentPage).claims.count == 3)
    }

    @Test func aWithheldClaimTheSPLaterMakesMandatoryIsAskedAgain() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.givenName: "Bob", LocalClaims.lastName: "Builder"])
        let first = try await login()
        let consent = try #require(first.action.consentPage)
        _ = try await engine.submitConsent(flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [], browserBinding: browser)
        _ = try await storage.serviceProviders.update(name: "app") { old in
            var new = old
            new.claims.mappings = new.claims.mappings.map { ClaimMapping(local: $0.local, mandatory: true) }
            return new
        }
        let again = try await login(sessionToken: first.newSessionToken)
        let page = try #require(again.action.consentPage)
        #expect(page.claims.map(\.definition.uri) == [LocalClaims.givenName] && page.claims.map(\.mandatory) == [true])
    }

    @Test func twoPostsOfOneConsentPageDoNotBothGoOn() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.lastName: "Builder"])
        let consent = try #require(try await login().action.consentPage)
        _ = try await engine.submitConsent(flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [], browserBinding: browser)
        await #expect(throws: AuthError.self) {
            try await engine.submitConsent(flowID: consent.flowID, csrfToken: consent.csrfToken, approve: false, approved: [], browserBinding: browser)
        }
        #expect(try await storage.consents.find(userID: "bob", serviceProvider: "app")?.version == 1)
    }

    @Test func aPageSubmittedAfterTheSessionEndedIssuesNothing() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com", LocalClaims.lastName: "Builder"])
        let first = try await login()
        let consent = try #require(first.action.consentPage)
        let session = try #require(try await engine.session(token: first.newSessionToken))
        try await engine.endSession(id: session.id)
        let error = await #expect(throws: AuthError.self) {
            try await engine.submitConsent(flowID: consent.flowID, csrfToken: consent.csrfToken, approve: true, approved: [], browserBinding: browser)
        }
        #expect(error?.code == .authSessionEnded)
    }

    @Test func aPassiveRequestThatNeedsAPageIsAnsweredToTheSP() async throws {
        try await setUp(claims: [LocalClaims.emailAddress: "bob@example.com"])
        let first = try await login()
        let claims = try #require(first.action.claimsPage)
        _ = try await engine.submitClaims(flowID: claims.flowID, csrfToken: claims.csrfToken, values: [LocalClaims.lastName: "Builder"], browserBinding: browser)
        let start = try await engine.start(
            AuthenticationRequest(serviceProvider: "app", inboundProtocol: "test", inboundContext: Data(), passive: true), browserBinding: browser)
        let outcome = try await engine.resume(flowID: start.flowID, sessionToken: first.newSessionToken, browserBinding: browser)
        guard case .fail(let error, _) = outcome.action else { Issue.record("expected a failure, got \(outcome.action)"); return }
        #expect(error.code == .authConsentRequired && error.endsAtServiceProvider)
    }

    @Test func aMandatoryClaimNoPersonCanGiveFailsAtTheSPInsteadOfPrompting() async throws {
        try await setUp(mappings: [ClaimMapping(local: LocalClaims.role, mandatory: true)])
        guard case .fail(let error, _) = try await login().action else { Issue.record("expected a failure"); return }
        #expect(error.code == .authMandatoryClaimUnavailable && error.value == LocalClaims.role)
    }
}

extension FlowOutcome.Action {
    var claimsPage: ClaimsPage? { if case .claims(let page) = self { page } else { nil } }
    var consentPage: ConsentPage? { if case .consent(let page) = self { page } else { nil } }
    var result: AuthenticationResult? { if case .complete(let result) = self { result } else { nil } }
}
