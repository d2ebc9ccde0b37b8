public import Foundation
public import IdentityStorage

/// One account at one outbound target (PR-2): whether it is there as it is here, and
/// what the target calls it. It is the queue too — one record per account and target,
/// kept in the server's store, so a restart loses nothing and changes in quick
/// succession are sent as one.
///
/// Delivery is level-triggered: a change only marks the record `pending`; the worker
/// then reads the account as it is *now* and makes the target match (create, replace,
/// or delete when the account is gone). Nothing stale is sent, and the order of
/// changes cannot be mixed up between instances.
public struct ProvisioningRecord: StoredRecord, Hashable {
    public static let layout = RecordLayout<Self>(
        table: "outbound_provisioning", what: "provisioning record", primary: .init(name: "id", field: "id", read: { $0.id }),
        indexed: [
            .init(name: "user_id", field: "userID", read: { $0.userID }),
            .init(name: "identity_provider", field: "identityProvider", read: { $0.identityProvider }),
            .init(name: "state", field: "state", read: { $0.state.rawValue }),
        ])

    public enum State: String, Codable, Hashable, Sendable {
        /// To be delivered (at `nextAttemptAt`).
        case pending
        /// The target has the account as it was at `deliveredAt`.
        case delivered
        /// Given up after the retry policy's attempts, or refused in a way a retry cannot
        /// mend (a 4xx). The account's next change, or an operator, starts it again.
        case failed
    }

    /// `<identity provider>/<user id>`.
    public var id: String
    public var identityProvider: String
    public var userID: String
    /// The username when the record was last queued (the account may be gone since).
    public var username: String
    public var state: State
    /// Bumped by every change: a delivery that started before a change does not mark the
    /// record delivered.
    public var version: Int
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastAttemptAt: Date?
    public var lastError: String?
    public var deliveredAt: Date?
    /// The account's `id` at the target, once created there.
    public var remoteID: String?
    /// Role → the target's Group id the account was added to.
    public var remoteGroups: [String: String]
    /// A hash of the User resource last delivered: an unchanged one is not sent again
    /// (memberships are compared with `remoteGroups`).
    public var deliveredDigest: String?
    /// A worker holds the record until then (several instances share the queue).
    public var leaseUntil: Date?
    /// Which claim holds the lease: only it may record the outcome.
    public var leaseOwner: String?
    /// What queued it first: `jit:<application>`, `admin`, `scim`.
    public var source: String

    public init(identityProvider: String, userID: String, username: String, source: String, now: Date) {
        self.id = Self.key(identityProvider: identityProvider, userID: userID)
        self.identityProvider = identityProvider
        self.userID = userID
        self.username = username
        self.state = .pending
        self.version = 1
        self.attempts = 0
        self.nextAttemptAt = now
        self.remoteGroups = [:]
        self.source = source
    }

    public static func key(identityProvider: String, userID: String) -> String { identityProvider + "/" + userID }

    /// Marked to be delivered again now: a change, or an operator's retry.
    public func queued(username: String?, now: Date) -> ProvisioningRecord {
        var new = self
        new.state = .pending
        new.version += 1
        new.attempts = 0
        new.nextAttemptAt = now
        new.lastError = nil
        if let username { new.username = username }
        return new
    }

    /// Whether a worker may take it now.
    public func isDue(at now: Date) -> Bool {
        state == .pending && nextAttemptAt <= now && (leaseUntil.map { $0 <= now } ?? true)
    }
}
