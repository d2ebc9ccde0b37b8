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

    // MARK: delivering

    /// Delivers every due record (the worker's pass): the targets side by side, so one
    /// that is down or slow does not hold up the others; each target's records in turn.
    public func deliverDue() async {
        await purgeIfDue()
        let now = clock.now
        let due: [ProvisioningRecord]
        do {
            due = try await records.all("state", equals: ProvisioningRecord.State.pending.rawValue).filter { $0.isDue(at: now) }
        } catch {
            logger.error("outbound provisioning: cannot read the queue: \(error)")
            return
        }
        let byTarget = Dictionary(grouping: due, by: \.identityProvider)
        await withTaskGroup(of: Void.self) { group in
            for (_, records) in byTarget {
                group.addTask {
                    for record in records.sorted(by: { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }) {
                        _ = await deliver(record.id, force: false)
                    }
                }
            }
        }
    }

    /// Records of accounts that are gone, delivered (nothing left at the target) more than
    /// a day ago: looked for once an hour by each instance.
    func purgeIfDue() async {
        guard purge.due(ContinuousClock.now) else { return }
        let horizon = clock.now.addingTimeInterval(-86_400)
        do {
            for record in try await records.all("state", equals: ProvisioningRecord.State.delivered.rawValue)
            where record.remoteID == nil && (record.deliveredAt ?? .distantFuture) < horizon {
                do {
                    _ = try await storage.users.get(id: record.userID)
                } catch {
                    guard error.code == .storageNotFound else { continue }
                    try? await records.delete(record.id)
                }
            }
        } catch {
            logger.error("outbound provisioning: cannot purge the queue: \(error)")
        }
    }

    /// A blocking delivery: now, whatever the backoff says (the login needs the account
    /// there); if another instance holds the record, its outcome is waited for, up to one
    /// request's timeout. nil when the target has the account.
    func deliverNow(_ id: String) async throws -> DeliveryFailure? {
        guard let current = try await records.get(id), current.state != .delivered else { return nil }
        switch await deliver(id, force: true) {
        case .delivered: return nil
        case .failed(let failure): return failure
        case .skipped: break
        }
        // Held by another worker (often this instance's own, woken by the queueing): its
        // outcome is waited for, up to twice a lease; a lease that runs out (its holder
        // died) is taken over.
        let deadline = ContinuousClock.now + .seconds(Int64(lease * 2))
        while ContinuousClock.now < deadline {
            guard let record = try await records.get(id) else { return nil }
            if record.leaseUntil == nil {
                // Finished: delivered — or delivered and queued again by a change since,
                // which the target will get too, but the account is there.
                if record.state == .delivered || record.lastError == nil && record.remoteID != nil { return nil }
                return DeliveryFailure(status: nil, retryable: true, message: record.lastError ?? "not delivered")
            }
            if let until = record.leaseUntil, until <= clock.now {
                switch await deliver(id, force: true) {
                case .delivered: return nil
                case .failed(let failure): return failure
                case .skipped: break
                }
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
    /// The claim is a lease with an owner: renewed before each request, and the outcome is
    /// written only by the owner still holding it — a worker that lost its lease (a stall
    /// longer than the lease) writes nothing over the one that took over.
    public func deliver(_ id: String, force: Bool) async -> Outcome {
        let now = clock.now
        let lease = self.lease
        let owner = UUID().uuidString
        let claimed: ProvisioningRecord
        do {
            claimed = try await records.update(id) { record in
                let free = record.leaseUntil.map { $0 <= now } ?? true
                guard free, force || record.isDue(at: now) else { throw NotClaimed() }
                var new = record
                new.leaseUntil = now.addingTimeInterval(lease)
                new.leaseOwner = owner
                return new
            }
        } catch {
            if !(error is NotClaimed) && (error as? StorageError)?.code != .storageNotFound {
                logger.error("outbound provisioning: cannot claim \(id): \(error)")
            }
            return .skipped
        }
        let renew: @Sendable () async throws -> Void = { [records, clock] in
            let now = clock.now
            try await records.update(id) { record in
                guard record.leaseOwner == owner else {
                    throw DeliveryFailure(status: nil, retryable: true, message: "the lease was lost to another worker")
                }
                var new = record
                new.leaseUntil = now.addingTimeInterval(lease)
                return new
            }
        }
        var progress = Progress(remoteID: claimed.remoteID, remoteGroups: claimed.remoteGroups, digest: claimed.deliveredDigest)
        let result: Result<Void, DeliveryFailure>
        do {
            try await sync(claimed, &progress, renew: renew)
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
            // An account that is gone stays as a delivered record without a remote id (the
            // account of a write that failed after it was queued never existed); deleting
            // it here could race the queueing of that very write. `purge` removes them
            // once they are old.
            try await records.update(id) { record in
                guard record.leaseOwner == owner else { throw NotClaimed() }
                var new = record
                new.leaseUntil = nil
                new.leaseOwner = nil
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
        } catch is NotClaimed {
            logger.warning("outbound provisioning: \(id) was taken over by another worker; its outcome is theirs to record")
            return .skipped
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
        /// The account is gone here.
    }

    /// Makes the target match the account as it is now. `renew` extends the lease before
    /// each request and throws if it was lost.
    func sync(_ record: ProvisioningRecord, _ progress: inout Progress, renew: @Sendable () async throws -> Void) async throws {
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
            if let remote = progress.remoteID {
                try await renew()
                try await client.deleteUser(remote)
            }
            progress = Progress(remoteID: nil, remoteGroups: [:], digest: nil)
            return
        }
        let resource = Self.outbound(resource(user), userID: user.id)
        let roles = settings.groups ? Set(user.roles) : []
        let digest = Self.digest(resource)
        try await renew()
        if progress.digest == digest, progress.remoteID != nil {
            // The user is there as it is here; only the memberships may be behind.
        } else if let remote = progress.remoteID, try await client.replaceUser(remote, resource) {
            // Replaced.
        } else {
            // New there, or deleted there since: created. A target that already has that
            // userName (409) is taken over only when that user is ours — its externalId is
            // this account's id (a create whose answer was lost, a target re-pointed to the
            // same service); anyone else's account there is never overwritten.
            progress.remoteGroups = [:]
            if let created = try await client.createUser(resource) {
                progress.remoteID = created
            } else {
                try await renew()
                guard let existing = try await client.find("Users", "userName", equals: user.username) else {
                    throw DeliveryFailure(status: 409, retryable: false, message: "POST /Users answered 409 but no user has userName \(user.username)")
                }
                guard existing.externalID == user.id else {
                    throw DeliveryFailure(
                        status: 409, retryable: false,
                        message: "the target has another user named \(user.username) (externalId \(existing.externalID ?? "none")); it is not taken over")
                }
                progress.remoteID = existing.id
                try await renew()
                _ = try await client.replaceUser(existing.id, resource)
            }
        }
        progress.digest = digest
        guard let member = progress.remoteID else { return }
        for role in roles.sorted() where progress.remoteGroups[role] == nil {
            try await renew()
            progress.remoteGroups[role] = try await join(role, member: member, client: client, renew: renew)
        }
        for (role, group) in progress.remoteGroups.sorted(by: { $0.key < $1.key }) where !roles.contains(role) {
            try await renew()
            _ = try await client.changeMembership(group: group, member: member, add: false)
            progress.remoteGroups[role] = nil
        }
    }

    /// Adds the member to the target's group of that name, made if missing. Two deliveries
    /// may make it at once: the one that loses (409) finds the winner's and joins it.
    func join(_ role: String, member: String, client: SCIMOutboundClient, renew: @Sendable () async throws -> Void) async throws -> String {
        if let group = try await client.find("Groups", "displayName", equals: role)?.id {
            try await renew()
            if try await client.changeMembership(group: group, member: member, add: true) { return group }
        }
        try await renew()
        if let created = try await client.createGroup(role, member: member) { return created }
        try await renew()
        guard let group = try await client.find("Groups", "displayName", equals: role)?.id else {
            throw DeliveryFailure(status: 409, retryable: true, message: "POST /Groups answered 409 but no group is named \(role)")
        }
        try await renew()
        guard try await client.changeMembership(group: group, member: member, add: true) else {
            throw DeliveryFailure(status: 409, retryable: true, message: "POST /Groups answered 409 but no group is named \(role)")
        }
        return group
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

/// Says yes at most once per period (the first time at once).
final class Every: Sendable {
    private let next = Mutex<ContinuousClock.Instant?>(nil)
    let period: Duration
    init(seconds: Int) { period = .seconds(seconds) }
    func due(_ now: ContinuousClock.Instant) -> Bool {
        next.withLock { next in
            guard next.map({ now >= $0 }) ?? true else { return false }
            next = now + period
            return true
        }
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
