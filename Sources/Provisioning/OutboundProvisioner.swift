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
    /// How long a worker holds a record it is delivering: longer than every request of one
    /// delivery together can take, so two instances never deliver one record at once.
    var lease: TimeInterval { TimeInterval(settings.timeoutSeconds * 8 + 30) }

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

    /// An account was made, changed or deleted through the admin API or SCIM (`source`):
    /// the resident targets get it, and so does every target that has it already.
    public func changed(_ userID: String, username: String?, source: String) async throws(StorageError) {
        try await queue(userID, username: username, targets: settings.outbound.map(\.identityProvider), source: source)
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
        for target in targets {
            do {
                try await records.create(ProvisioningRecord(identityProvider: target, userID: userID, username: username ?? "", source: source, now: now))
            } catch {
                // Already there, and marked pending just above (or by the change that made it).
                guard error.code == .storageAlreadyExists else { throw error }
            }
        }
        signal.wake()
    }

    /// JIT outbound: an account provisioned just in time (now or at an earlier login) goes
    /// to the application's targets that take JIT accounts; a blocking one must have it
    /// before the login goes on. A local account linked to the IdP person is not a JIT
    /// account: only targets that have it already hear of it.
    public func federatedLogin(_ user: User, at serviceProvider: ServiceProvider) async throws -> DeliveryFailure? {
        let targets = user.federation == nil ? [] : (serviceProvider.provisioning?.outbound ?? []).filter(\.jit)
        // A returning person's attributes were just re-synced: targets that have the
        // account get the change (an unchanged account is not sent again).
        try await queue(user.id, username: user.username, targets: targets.map(\.identityProvider), source: "jit:" + serviceProvider.name)
        for target in targets where target.blocking {
            let id = ProvisioningRecord.key(identityProvider: target.identityProvider, userID: user.id)
            if let failure = try await deliverNow(id) { return failure }
        }
        return nil
    }

    /// Looks at the queue now (after an operator's retry).
    public func wake() { signal.wake() }

    // MARK: delivering

    /// Delivers every due record (the worker's pass).
    public func deliverDue() async {
        let now = clock.now
        let due: [ProvisioningRecord]
        do {
            due = try await records.all("state", equals: ProvisioningRecord.State.pending.rawValue).filter { $0.isDue(at: now) }
        } catch {
            logger.error("outbound provisioning: cannot read the queue: \(error)")
            return
        }
        for record in due.sorted(by: { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }) {
            _ = await deliver(record.id, force: false)
        }
    }

    /// A blocking delivery: now, whatever the backoff says; if another instance holds the
    /// record, its outcome is waited for. nil when the target has the account.
    func deliverNow(_ id: String) async throws -> DeliveryFailure? {
        if case .failed(let failure) = await deliver(id, force: true) { return failure }
        let deadline = ContinuousClock.now + .seconds(settings.timeoutSeconds * 8 + 30)
        while ContinuousClock.now < deadline {
            guard let record = try await records.get(id) else { return nil }
            if record.state == .delivered { return nil }
            if record.leaseUntil.map({ $0 > clock.now }) != true {
                return DeliveryFailure(status: nil, retryable: true, message: record.lastError ?? "not delivered")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return DeliveryFailure(status: nil, retryable: true, message: "another instance is still delivering")
    }

    public enum Outcome: Sendable, Equatable {
        case delivered
        /// Not due, held by another worker, or gone.
        case skipped
        case failed(DeliveryFailure)

        public static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case (.delivered, .delivered), (.skipped, .skipped): true
            case (.failed(let x), .failed(let y)): x.message == y.message
            default: false
            }
        }
    }

    /// Claims the record, makes the target match the account, and records how it went.
    public func deliver(_ id: String, force: Bool) async -> Outcome {
        let now = clock.now
        let lease = self.lease
        let claimed: ProvisioningRecord
        do {
            claimed = try await records.update(id) { record in
                let free = record.leaseUntil.map { $0 <= now } ?? true
                guard free, force || record.isDue(at: now) else { throw NotClaimed() }
                var new = record
                new.leaseUntil = now.addingTimeInterval(lease)
                return new
            }
        } catch {
            if !(error is NotClaimed) && (error as? StorageError)?.code != .storageNotFound {
                logger.error("outbound provisioning: cannot claim \(id): \(error)")
            }
            return .skipped
        }
        var progress = Progress(remoteID: claimed.remoteID, remoteGroups: claimed.remoteGroups, digest: claimed.deliveredDigest)
        let result: Result<Void, DeliveryFailure>
        do {
            try await sync(claimed, &progress)
            result = .success(())
        } catch let failure as DeliveryFailure {
            result = .failure(failure)
        } catch {
            result = .failure(DeliveryFailure(status: nil, retryable: true, message: "\(error)"))
        }
        let policy = settings.retry
        let finished = clock.now
        let learned = progress
        do {
            try await records.update(id) { record in
                var new = record
                new.leaseUntil = nil
                new.lastAttemptAt = finished
                new.remoteID = learned.remoteID
                new.remoteGroups = learned.remoteGroups
                new.deliveredDigest = learned.digest
                // A change that came in meanwhile keeps it pending, to be sent at once.
                guard record.version == claimed.version else { return new }
                switch result {
                case .success:
                    new.state = .delivered
                    new.deliveredAt = finished
                    new.attempts = 0
                    new.lastError = nil
                case .failure(let failure):
                    new.attempts += 1
                    new.lastError = failure.message
                    if !failure.retryable || new.attempts >= policy.maximumAttempts {
                        new.state = .failed
                    } else {
                        let delay = policy.delay(afterFailures: new.attempts, retryAfter: failure.retryAfter)
                        new.nextAttemptAt = finished.addingTimeInterval(TimeInterval(delay))
                    }
                }
                return new
            }
        } catch {
            logger.error("outbound provisioning: cannot record the delivery of \(id): \(error)")
        }
        switch result {
        case .success:
            return .delivered
        case .failure(let failure):
            logger.warning("outbound provisioning to \(claimed.identityProvider) of \(claimed.userID) failed: \(failure.message)")
            return .failed(failure)
        }
    }

    struct NotClaimed: Error {}

    /// What a delivery learnt, kept even when a later step of it fails.
    struct Progress {
        var remoteID: String?
        var remoteGroups: [String: String]
        var digest: String?
    }

    /// Makes the target match the account as it is now.
    func sync(_ record: ProvisioningRecord, _ progress: inout Progress) async throws {
        let idp: IdentityProvider
        do {
            idp = try await storage.identityProviders.get(name: record.identityProvider)
        } catch {
            guard error.code == .storageNotFound else { throw error }
            throw DeliveryFailure(status: nil, retryable: false, message: "no identity provider '\(record.identityProvider)'")
        }
        guard let settings = idp.scim else {
            throw DeliveryFailure(status: nil, retryable: false, message: "identity provider '\(idp.name)' has no SCIM connector")
        }
        let client = SCIMOutboundClient(settings: settings, http: http)
        let user: User?
        do {
            user = try await storage.users.get(id: record.userID)
        } catch {
            guard error.code == .storageNotFound else { throw error }
            user = nil
        }
        guard let user else {
            // Deleted here: deleted there. The target drops its group memberships itself.
            if let remote = progress.remoteID { try await client.deleteUser(remote) }
            progress = Progress(remoteID: nil, remoteGroups: [:], digest: nil)
            return
        }
        let resource = Self.outbound(resource(user), userID: user.id)
        let roles = settings.groups ? Set(user.roles) : []
        let digest = Self.digest(resource)
        if progress.digest == digest, progress.remoteID != nil {
            // The user is there as it is here; only the memberships may be behind.
        } else if let remote = progress.remoteID, try await client.replaceUser(remote, resource) {
            // Replaced.
        } else {
            // New there, or deleted there since: created (or, when the target has one of
            // that userName already, that one adopted and replaced).
            progress.remoteGroups = [:]
            if let created = try await client.createUser(resource) {
                progress.remoteID = created
            } else if let existing = try await client.find("Users", "userName", equals: user.username) {
                progress.remoteID = existing
                _ = try await client.replaceUser(existing, resource)
            } else {
                throw DeliveryFailure(status: 409, retryable: false, message: "POST /Users answered 409 but no user has userName \(user.username)")
            }
        }
        guard let member = progress.remoteID else { return }
        for role in roles.sorted() where progress.remoteGroups[role] == nil {
            if let group = try await client.find("Groups", "displayName", equals: role),
                try await client.changeMembership(group: group, member: member, add: true)
            {
                progress.remoteGroups[role] = group
            } else {
                progress.remoteGroups[role] = try await client.createGroup(role, member: member)
            }
        }
        for (role, group) in progress.remoteGroups.sorted(by: { $0.key < $1.key }) where !roles.contains(role) {
            _ = try await client.changeMembership(group: group, member: member, add: false)
            progress.remoteGroups[role] = nil
        }
        progress.digest = digest
    }

    /// The resource a target is sent: no `id`, `meta` or `groups` (the target's own, and
    /// membership goes through Groups), `externalId` the account's id here (RFC 7643 §3.1).
    static func outbound(_ resource: SCIMValue, userID: String) -> SCIMValue {
        guard case .object(let members) = resource else { return resource }
        var kept = members.filter { !["id", "meta", "groups"].contains($0.0) }
        let at = kept.firstIndex { $0.0 == "userName" }.map { $0 + 1 } ?? kept.count
        kept.insert(("externalId", .string(userID)), at: at)
        return .object(kept)
    }

    static func digest(_ resource: SCIMValue) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(resource.jsonText().utf8))))
    }
}

/// Wakes the worker when something was queued, so a change goes out at once rather
/// than at its next look at the queue.
final class WakeSignal: Sendable {
    private let raised = Mutex(false)
    func wake() { raised.withLock { $0 = true } }
    /// Whether it was raised since the last call.
    func take() -> Bool { raised.withLock { value in defer { value = false }; return value } }
}
