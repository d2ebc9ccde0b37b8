public import Connectors
import Crypto
public import Foundation
public import IdentityCore
public import IdentityStorage
public import Logging
public import SCIM
import Synchronization

/// Outbound provisioning (PR-2): queues an account for its targets when it changes, and
/// makes each target match the account. One value per server; the worker
/// (``ProvisioningWorker``) and blocking logins deliver through it.
public struct OutboundProvisioner: Sendable {
    let storage: Storage
    let clock: any WallClock
    public let settings: ProvisioningSettings
    let http: UpstreamHTTP
    /// The account as a SCIM User resource (the server's own `/scim2` mapping).
    let resource: @Sendable (User) -> SCIMValue
    let logger: Logger
    let signal = WakeSignal()
    let purge = Every(seconds: 3_600)
    /// How long a worker holds a record it is delivering before another may take it over:
    /// renewed before each request, so it need only outlast one (and a clock difference
    /// between instances; leases compare each instance's own clock).
    var lease: TimeInterval { TimeInterval(settings.timeoutSeconds * 2 + 30) }

    public init(
        storage: Storage, clock: any WallClock, settings: ProvisioningSettings, http: UpstreamHTTP, logger: Logger,
        resource: @escaping @Sendable (User) -> SCIMValue
    ) {
        self.storage = storage
        self.clock = clock
        self.settings = settings
        self.http = http
        self.logger = logger
        self.resource = resource
    }

    var records: any RecordStore<ProvisioningRecord> { storage.records(ProvisioningRecord.self) }

    // MARK: queueing

    /// An account is about to be made, changed or deleted through the admin API or SCIM
    /// (`source`), and again once it was: the resident targets get it, and so does every
    /// target that has it already. Called before the write too, so that a write whose
    /// queueing then fails (or a crash between the two) is still delivered; a record
    /// queued for a write that did not happen finds nothing to send.
    public func changed(_ userID: String, username: String?, source: String) async throws(StorageError) {
        try await queue(userID, username: username, targets: settings.outbound.map(\.identityProvider), source: source)
    }

    /// `write`, queued before and after (see ``changed(_:username:source:)``).
    public func around<T>(_ userID: String, username: String?, source: String, _ write: () async throws -> T) async throws -> T {
        try await changed(userID, username: username, source: source)
        let result = try await write()
        try await changed(userID, username: username, source: source)
        return result
    }

    /// Accounts changed in bulk (an IdP's provisioned accounts deleted with it): each target
    /// that has one hears of it.
    public func changed(_ userIDs: [String], source: String) async throws(StorageError) {
        for id in userIDs { try await queue(id, username: nil, targets: [], source: source) }
    }

    /// Marks the account's records pending and creates those `targets` lack.
    func queue(_ userID: String, username: String?, targets: [String], source: String) async throws(StorageError) {
        let now = clock.now
        try await records.updateAll("user_id", equals: userID, where: { _ in true }) { $0.queued(username: username, now: now) }
        try await create(userID, username: username, targets: targets, source: source)
        signal.wake()
    }

    /// Records for `targets` that the account has none at; existing ones are left as they are.
    func create(_ userID: String, username: String?, targets: [String], source: String) async throws(StorageError) {
        for target in targets {
            do {
                try await records.create(ProvisioningRecord(identityProvider: target, userID: userID, username: username ?? "", source: source, now: clock.now))
                signal.wake()
            } catch {
                // Already there (and marked pending by the change that queued it).
                guard error.code == .storageAlreadyExists else { throw error }
            }
        }
    }

    /// JIT outbound: an account provisioned just in time (now or at an earlier login) goes
    /// to the application's targets that take JIT accounts; a blocking one must have it
    /// before the login goes on. A local account linked to the IdP person is not a JIT
    /// account: only targets that have it already hear of it. `changed`: the account was
    /// made or re-synced just now — otherwise a login queues nothing, so it neither costs
    /// a write per target nor starts a failed delivery again.
    public func federatedLogin(_ user: User, changed: Bool, at serviceProvider: ServiceProvider) async throws -> DeliveryFailure? {
        let targets = user.federation == nil ? [] : (serviceProvider.provisioning?.outbound ?? []).filter(\.jit)
        let source = "jit:" + serviceProvider.name
        if changed {
            try await queue(user.id, username: user.username, targets: targets.map(\.identityProvider), source: source)
        } else {
            try await create(user.id, username: user.username, targets: targets.map(\.identityProvider), source: source)
        }
        for target in targets where target.blocking {
            let id = ProvisioningRecord.key(identityProvider: target.identityProvider, userID: user.id)
            if let failure = try await deliverNow(id) { return failure }
        }
        return nil
    }

    /// The target's connector now points somewhere else: what was learnt of the old
    /// service (ids, memberships) means nothing there, so every account is sent again —
    /// created, or taken over where the service has it with this account's externalId
    /// (the same service under a new URL).
    public func retargeted(_ identityProvider: String) async throws(StorageError) {
        let now = clock.now
        try await records.updateAll("identity_provider", equals: identityProvider, where: { _ in true }) { record in
            var new = record.queued(username: nil, now: now)
            new.remoteID = nil
            new.remoteGroups = [:]
            new.deliveredDigest = nil
            // A delivery under way to the old URL may finish, but records nothing over this.
            new.leaseOwner = nil
            new.leaseUntil = nil
            return new
        }
        signal.wake()
    }

    /// Looks at the queue now (after an operator's retry).
    public func wake() { signal.wake() }
}
