@testable import AuthFramework
import Foundation
import IdentityCore
import IdentityStorage
import Testing

/// The refusals an application hears through its protocol (SAML status, OAuth error): each
/// with its own code, which only the log and these tests see — the application gets the
/// catalogue's status and public message.
struct RefusalsTheApplicationHearsTests {
    let storage = Storage.inMemory()
    let engine: AuthenticationEngine
    let browser = "browser-binding-1"

    /// A connector that answers what the test tells it to.
    struct ScriptedConnector: FederatedAuthenticator {
        let answer: @Sendable ([String: String]) throws -> FederatedIdentity
        func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart {
            FederatedStart(redirect: .redirect("https://idp.test/authorize?state=\(state)"), context: Data())
        }
        func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
            -> FederatedIdentity
        {
            try answer(response)
        }
    }

    init() {
        engine = AuthenticationEngine(
            storage: storage, clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 4),
            hasher: PasswordHasher(iterations: 1, random: SeededRandomSource(seed: 5)),
            settings: AuthenticationSettings(tenants: [Tenant.superTenant, "example.org"]),
            connectors: ConnectorRegistry([
                .oidc: ScriptedConnector { response in
                    if response["error"] != nil { throw AuthError(.authFederatedDenied, value: response["error"], detail: "the IdP said no") }
                    return FederatedIdentity(identityProvider: "partner", subject: response["sub"] ?? "p-1", claims: [:])
                }
            ]))
    }

    static let partner = IdentityProvider(name: "partner", kind: .oidc, jit: JITSettings(mode: .promptConsent))

    func setUp(_ sp: ServiceProvider = ServiceProvider(name: "app", claims: ClaimConfiguration(skipConsent: true))) async throws {
        try await storage.serviceProviders.create(sp)
        try await storage.identityProviders.create(Self.partner)
        try await storage.users.create(User(id: "bob", username: "bob", passwordHash: engine.hasher.hash("bob-password")))
        try await storage.users.create(
            User(id: "erin", tenant: "example.org", username: "erin", passwordHash: engine.hasher.hash("erin-password")))
    }

    func start(passive: Bool = false) async throws -> FlowOutcome {
        let start = try await engine.start(
            AuthenticationRequest(serviceProvider: "app", inboundProtocol: "test", inboundContext: Data(), passive: passive), browserBinding: browser)
        return try await engine.resume(flowID: start.flowID, sessionToken: nil, browserBinding: browser)
    }

    func refusal(_ outcome: FlowOutcome) -> ErrorCode? {
        if case .fail(let error, _) = outcome.action { return error.code } else { return nil }
    }

    func login(_ username: String, _ password: String) async throws -> FlowOutcome {
        guard case .login(let page) = try await start().action else { throw AuthError(.authUnexpectedForm, detail: "no login page") }
        return try await engine.submitLogin(flowID: page.flowID, csrfToken: page.csrfToken, username: username, password: password, browserBinding: browser)
    }

    @Test func aPassiveRequestWithoutASessionIsNoPassive() async throws {
        try await setUp()
        #expect(refusal(try await start(passive: true)) == .authNoPassive)
        #expect(ErrorCode.authNoPassive.oauthError == "login_required")
    }

    @Test func aPassiveRequestThatNeedsAPromptIsInteractionRequired() async throws {
        try await setUp(
            ServiceProvider(
                name: "app", claims: ClaimConfiguration(mappings: [ClaimMapping(local: LocalClaims.emailAddress, mandatory: true)], skipConsent: true)))
        // Signed in (a session), then stopped at the mandatory-claim page.
        let signedIn = try await login("bob", "bob-password")
        guard case .claims = signedIn.action, let token = signedIn.newSessionToken else { Issue.record("no claims page"); return }
        // A passive request with that session would need the page again.
        let passive = try await engine.start(
            AuthenticationRequest(serviceProvider: "app", inboundProtocol: "test", inboundContext: Data(), passive: true), browserBinding: browser)
        #expect(refusal(try await engine.resume(flowID: passive.flowID, sessionToken: token, browserBinding: browser)) == .authInteractionRequired)
    }

    @Test func aUserOfAnotherTenantAtANonSaaSApplicationIsTenantNotAllowed() async throws {
        try await setUp()
        #expect(refusal(try await login("erin@example.org", "erin-password")) == .authTenantNotAllowed)
    }

    @Test func theFifthWrongPasswordIsTooManyAttempts() async throws {
        try await setUp()
        guard case .login(var page) = try await start().action else { Issue.record("no login page"); return }
        for attempt in 1...5 {
            let outcome = try await engine.submitLogin(
                flowID: page.flowID, csrfToken: page.csrfToken, username: "bob", password: "wrong-\(attempt)", browserBinding: browser)
            if attempt == 5 { #expect(refusal(outcome) == .authTooManyAttempts) } else if case .login(let next) = outcome.action { page = next }
        }
    }

    /// A flow sent to the partner IdP, and the state its answer must carry.
    func federate() async throws -> String {
        try await storage.serviceProviders.update(name: "app") { old in
            var new = old
            new.sequence = AuthenticationSequence(steps: [.init(options: ["partner"])])
            return new
        }
        guard case .federate(.redirect(let url)) = try await start().action, let state = URLComponents(string: url)?.queryItems?.first?.value
        else { throw AuthError(.authUnexpectedForm, detail: "not sent to the IdP") }
        return state
    }

    @Test func aRefusalAtTheIdPIsFederatedDenied() async throws {
        try await setUp()
        let state = try await federate()
        #expect(refusal(try await engine.federatedAnswer(["state": state, "error": "access_denied"], browserBinding: browser, sessionToken: nil)) == .authFederatedDenied)
    }

    @Test func anAnswerForNoWaitingLoginIsUnexpectedAnswer() async throws {
        try await setUp()
        let state = try await federate()
        _ = try await engine.federatedAnswer(["state": state], browserBinding: browser, sessionToken: nil)
        await #expect(throws: AuthError(.authUnexpectedAnswer, detail: "")) {
            try await engine.federatedAnswer(["state": state], browserBinding: browser, sessionToken: nil)
        }
    }

    @Test func refusingToBeProvisionedIsJITConsentDenied() async throws {
        try await setUp()
        let state = try await federate()
        guard case .provision(let page) = try await engine.federatedAnswer(["state": state], browserBinding: browser, sessionToken: nil).action
        else { Issue.record("no provisioning page"); return }
        let outcome = try await engine.submitProvisioning(
            flowID: page.flowID, csrfToken: page.csrfToken, decision: .deny, username: nil, password: nil, confirmation: nil, browserBinding: browser,
            sessionToken: nil)
        #expect(refusal(outcome) == .authJITConsentDenied)
    }

    @Test func linkingAPersonAnotherAccountTookMeanwhileIsIdentityAlreadyLinked() async throws {
        try await setUp()
        let state = try await federate()
        guard case .provision(let page) = try await engine.federatedAnswer(["state": state], browserBinding: browser, sessionToken: nil).action
        else { Issue.record("no provisioning page"); return }
        guard case .associate(let link) = try await engine.submitProvisioning(
            flowID: page.flowID, csrfToken: page.csrfToken, decision: .link, username: nil, password: nil, confirmation: nil, browserBinding: browser,
            sessionToken: nil).action
        else { Issue.record("no association page"); return }
        // Another login links the same IdP person to erin first.
        try await storage.associations.create(
            FederatedAssociation(id: "a1", identityProvider: "partner", subject: "p-1", userID: "erin", provisioned: false, associatedAt: Date()))
        let outcome = try await engine.submitAssociation(
            flowID: link.flowID, csrfToken: link.csrfToken, back: false, username: "bob", password: "bob-password", browserBinding: browser,
            sessionToken: nil, client: nil)
        #expect(refusal(outcome) == .authIdentityAlreadyLinked)
        #expect(try await storage.associations.list(userID: "bob").isEmpty)
    }

    @Test func aLockedLinkedAccountIsAccountLocked() async throws {
        try await setUp()
        try await storage.associations.create(
            FederatedAssociation(id: "a1", identityProvider: "partner", subject: "p-1", userID: "bob", provisioned: false, associatedAt: Date()))
        try await storage.users.update(id: "bob") { old in
            var new = old
            new.locked = true
            return new
        }
        let state = try await federate()
        #expect(refusal(try await engine.federatedAnswer(["state": state], browserBinding: browser, sessionToken: nil)) == .authAccountLocked)
    }
}
