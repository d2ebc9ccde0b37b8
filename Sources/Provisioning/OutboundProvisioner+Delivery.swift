public import Connectors
import Crypto
public import Foundation
public import IdentityCore
public import IdentityStorage
import Logging
import SCIM

/// Delivering (PR-2): claiming a due record under a lease, making the target match the
/// account, and recording the outcome with the retry policy.
extension OutboundProvisioner {
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
}
