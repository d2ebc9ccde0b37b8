import AsyncHTTPClient
import Connectors
import Foundation
import HTTPServing
import IdentityCore
import IdentityServer
import IdentityStorage
import IdentityStorageSQLite
import Logging
import MockSupport
import Provisioning
import SCIM
import Testing

/// Outbound provisioning (PR-2) against a mock SCIM service in this process: what survives
/// a restart, what two instances do with one record, and a target that already has the user.
@Suite struct OutboundProvisioningTests {
    static let start = Date(timeIntervalSince1970: 1_767_258_000)

    /// A mock SCIM service listening on loopback, and the IdP record that targets it.
    struct Target {
        let mock: MockSCIMService
        let server: InProcessServer
        var record: IdentityProvider {
            IdentityProvider(
                name: "crm", kind: .scim,
                sections: [SCIMTargetSettings(url: server.baseURL + "/scim2", authentication: .basic, username: "provisioner", password: "crm-secret")])
        }

        init(faults: SCIMFaults = SCIMFaults()) async throws {
            let yaml = """
                kind: scim
                authentication: basic
                username: provisioner
                password: crm-secret
                """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-\(UUID().uuidString).yaml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            guard case .scim(var profile) = try PartyProfile.load(file) else { throw CancellationError() }
            profile.faults = faults
            mock = MockSCIMService(profile: profile, clock: FixedWallClock(OutboundProvisioningTests.start), random: SeededRandomSource(seed: 3))
            server = try await mock.start(host: "127.0.0.1", port: 0, tap: nil)
        }
    }

    /// A generous deadline: CI starts every suite at once on two cores, and a request to a
    /// mock that has just started can wait seconds for a thread. No test here is about time.
    static func provisioner(_ storage: Storage, clock: FixedWallClock, retry: RetryPolicy = RetryPolicy()) -> OutboundProvisioner {
        let mapping = SCIMUserMapping(schemas: SCIMUserSchemas(dialect: .standard))
        return OutboundProvisioner(
            storage: storage, clock: clock, settings: ProvisioningSettings(outbound: [OutboundTarget(identityProvider: "crm")], retry: retry),
            http: UpstreamHTTP(client: HTTPClient.shared, timeout: .seconds(30)), logger: Logger(label: "test"),
            resource: { mapping.resource($0, location: "", groupID: { $0 }) })
    }

    static let carol = User(id: "u-carol", username: "carol", claims: [LocalClaims.givenName: "Carol"], roles: ["sales"])

    @Test func aQueuedAccountSurvivesARestartAndIsDeliveredByTheNextProcess() async throws {
        let target = try await Target(faults: SCIMFaults(unavailable: 1))
        defer { Task { await target.server.stop() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("provisioning-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = FixedWallClock(Self.start)
        do {
            let storage = try SQLiteStorage.open(path: path, sections: .server)
            try await storage.identityProviders.create(target.record)
            try await storage.users.create(Self.carol)
            let provisioner = Self.provisioner(storage, clock: clock)
            try await provisioner.changed(Self.carol.id, username: "carol", source: "admin")
            let first = await provisioner.deliver("crm/u-carol", force: false)
            guard case .failed(let failure) = first else { Issue.record("the first attempt should meet the 503"); return }
            #expect(failure.status == 503 && failure.retryable)
        }
        // Another process on the same database, later: the record is still queued.
        clock.advance(by: 60)
        let storage = try SQLiteStorage.open(path: path, sections: .server)
        let queued = try #require(try await storage.records(ProvisioningRecord.self).get("crm/u-carol"))
        #expect(queued.state == .pending && queued.attempts == 1 && queued.lastError?.contains("503") == true)
        await Self.provisioner(storage, clock: clock).deliverDue()
        let delivered = try #require(try await storage.records(ProvisioningRecord.self).get("crm/u-carol"))
        #expect(delivered.state == .delivered && delivered.remoteID != nil && delivered.remoteGroups.keys.sorted() == ["sales"])
        let posts = target.mock.observations.filter { $0.method == "POST" && $0.path == "/scim2/Users" }
        #expect(posts.map(\.status) == [503, 201])
    }

    @Test func twoInstancesNeverDeliverOneRecordAtOnce() async throws {
        let target = try await Target(faults: SCIMFaults(slowSeconds: 0.3))
        defer { Task { await target.server.stop() } }
        let storage = Storage.inMemory()
        try await storage.identityProviders.create(target.record)
        try await storage.users.create(Self.carol)
        let clock = FixedWallClock(Self.start)
        let (one, two) = (Self.provisioner(storage, clock: clock), Self.provisioner(storage, clock: clock))
        try await one.changed(Self.carol.id, username: "carol", source: "admin")
        async let a = one.deliver("crm/u-carol", force: false)
        async let b = two.deliver("crm/u-carol", force: false)
        let outcomes = await [a, b]
        #expect(outcomes.filter { $0 == .delivered }.count == 1 && outcomes.filter { $0 == .skipped }.count == 1)
        #expect(target.mock.observations.filter { $0.method == "POST" && $0.path == "/scim2/Users" }.count == 1)
    }

    /// Makes a user at the target directly, as its own administrator would.
    static func made(at target: Target, _ json: String) async throws -> String {
        let made = try await UpstreamHTTP(client: HTTPClient.shared, timeout: .seconds(30)).send(
            "POST", target.server.baseURL + "/scim2/Users",
            headers: [("Authorization", "Basic " + Data("provisioner:crm-secret".utf8).base64EncodedString())],
            body: ("application/scim+json", Data(json.utf8)))
        #expect(made.status == 201)
        return try #require(SCIMValue.parsing(made.body)?.member("id")?.stringValue)
    }

    @Test func aUserTheTargetHasWithThisAccountsExternalIdIsTakenOverNotDuplicated() async throws {
        let target = try await Target()
        defer { Task { await target.server.stop() } }
        // An earlier create whose answer was lost: the target has carol, with our id.
        let existing = try await Self.made(
            at: target, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Carol","externalId":"u-carol"}"#)
        let storage = Storage.inMemory()
        try await storage.identityProviders.create(target.record)
        try await storage.users.create(Self.carol)
        let provisioner = Self.provisioner(storage, clock: FixedWallClock(Self.start))
        try await provisioner.changed(Self.carol.id, username: "carol", source: "admin")
        #expect(await provisioner.deliver("crm/u-carol", force: false) == .delivered)
        let record = try #require(try await storage.records(ProvisioningRecord.self).get("crm/u-carol"))
        #expect(record.remoteID == existing, "the target's user is updated, not a second made")
        let calls = target.mock.observations.dropFirst().map { "\($0.method) \($0.path) \($0.status)" }
        #expect(Array(calls.prefix(3)) == ["POST /scim2/Users 409", "GET /scim2/Users 200", "PUT /scim2/Users/\(existing) 200"])
    }

    @Test func someoneElsesUserOfTheSameNameIsNeverOverwritten() async throws {
        let target = try await Target()
        defer { Task { await target.server.stop() } }
        // The target's own administrator account, say: same userName, not ours.
        _ = try await Self.made(at: target, #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"carol","externalId":"crm-admin"}"#)
        let storage = Storage.inMemory()
        try await storage.identityProviders.create(target.record)
        try await storage.users.create(Self.carol)
        let provisioner = Self.provisioner(storage, clock: FixedWallClock(Self.start))
        try await provisioner.changed(Self.carol.id, username: "carol", source: "admin")
        guard case .failed(let failure) = await provisioner.deliver("crm/u-carol", force: false) else {
            Issue.record("taking over another's account must fail")
            return
        }
        #expect(!failure.retryable && failure.message.contains("not taken over"))
        let record = try #require(try await storage.records(ProvisioningRecord.self).get("crm/u-carol"))
        #expect(record.state == .failed && record.remoteID == nil)
        #expect(!target.mock.observations.contains { $0.method == "PUT" || $0.method == "DELETE" }, "nothing was written over it")
    }

    @Test func aBlockingTargetThatIsDownRefusesTheLoginWithItsCodeAndKeepsTheAccountQueued() async throws {
        let target = try await Target(faults: SCIMFaults(unavailable: 5))
        defer { Task { await target.server.stop() } }
        let server = try await TestServer()
        try await server.runtime.storage.identityProviders.create(target.record)
        let app = ServiceProvider(
            name: "crm-app", sections: [OutboundProvisioningSettings(outbound: [OutboundTarget(identityProvider: "crm", blocking: true)])])
        var jit = Self.carol
        jit.federation = FederatedAccount(identityProvider: "partner", subject: "carol-at-partner")
        try await server.runtime.storage.users.create(jit)
        let events = try #require(server.runtime.engine.accountEvents)
        do {
            try await events.federatedLogin(jit, changed: true, at: app)
            Issue.record("the login must be refused while the blocking target is down")
        } catch {
            #expect(error.code == .authProvisioningFailed && error.detail.contains("503"))
        }
        let record = try #require(try await server.runtime.storage.records(ProvisioningRecord.self).get("crm/u-carol"))
        #expect(record.state == .pending && record.attempts == 1, "the account stays queued for the next attempt")
        // A local account the person linked is no JIT account: nothing blocks it.
        try await events.federatedLogin(User(id: "u-alice", username: "alice"), changed: false, at: app)
    }

    @Test func backoffDoublesUpToItsCapAndHonoursALongerRetryAfter() {
        let policy = RetryPolicy(initialDelaySeconds: 5, maximumDelaySeconds: 60, maximumAttempts: 10)
        #expect((1...6).map { policy.delay(afterFailures: $0) } == [5, 10, 20, 40, 60, 60])
        #expect(policy.delay(afterFailures: 1, retryAfter: 30) == 30)
        #expect(policy.delay(afterFailures: 1, retryAfter: 86_400) == 60, "a Retry-After never stretches past the cap")
        #expect(policy.delay(afterFailures: 1_000) == 60, "no overflow after many failures")
    }

    @Test func theConnectorsSecretsAreNeverShownAndAreKeptOnAnEchoedReplace() {
        let stored = SCIMTargetSettings(url: "https://crm.example/scim2", authentication: .bearer, token: "t0ken")
        #expect(stored.redacted.token == SCIMTargetSettings.redactedSecret)
        #expect(stored.redacted.keepingSecrets(of: stored).token == "t0ken")
        let changed = SCIMTargetSettings(url: "https://crm.example/scim2", authentication: .bearer, token: "new-token")
        #expect(changed.keepingSecrets(of: stored).token == "new-token")
    }
}

