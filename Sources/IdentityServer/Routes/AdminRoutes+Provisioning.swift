import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import Provisioning

/// `/admin/v1/provisioning`: the outbound provisioning queue (PR-2) — each account at
/// each target, what state its delivery is in, the last failure — and a retry.
extension AdminRoutes {
    func addProvisioningRoutes(to group: RouterGroup<Context>) {
        // `?identityProvider=NAME&state=pending|delivered|failed&user=ID` narrow the list.
        group.get("provisioning") { request, _ in
            let query = try FormBody.query(request)
            var records = try await runtime.storage.records(ProvisioningRecord.self).all()
            if let state = query["state"] {
                guard let wanted = ProvisioningRecord.State(rawValue: state) else {
                    throw RequestError(.requestInvalidParameter, field: "state", value: state, detail: "pending, delivered or failed")
                }
                records = records.filter { $0.state == wanted }
            }
            if let idp = query["identityProvider"] { records = records.filter { $0.identityProvider == idp } }
            if let user = query["user"] { records = records.filter { $0.userID == user } }
            return try json(records.sorted { ($0.identityProvider, $0.username, $0.userID) < ($1.identityProvider, $1.username, $1.userID) }
                .map(ProvisioningView.init))
        }
        // Deliver again now: a failed record after the target was mended, or a pending one
        // without waiting for its backoff.
        group.post("provisioning/:identityProvider/:user/retry") { _, context in
            let id = ProvisioningRecord.key(
                identityProvider: try context.parameters.decoded("identityProvider"), userID: try context.parameters.decoded("user"))
            let now = runtime.clock.now
            let queued = try await runtime.storage.records(ProvisioningRecord.self).update(id) { $0.queued(username: nil, now: now) }
            runtime.provisioner.wake()
            return try json(ProvisioningView(queued))
        }
    }
}

/// One account at one target, as the admin API shows it.
struct ProvisioningView: Encodable {
    let identityProvider: String
    let userID: String
    let username: String
    let state: String
    let attempts: Int
    /// When the next attempt is due (pending only).
    let nextAttemptAt: Date?
    let lastAttemptAt: Date?
    let lastError: String?
    let deliveredAt: Date?
    /// The account's id at the target.
    let remoteID: String?
    /// The roles sent as Group membership.
    let groups: [String]
    let source: String

    init(_ record: ProvisioningRecord) {
        identityProvider = record.identityProvider
        userID = record.userID
        username = record.username
        state = record.state.rawValue
        attempts = record.attempts
        nextAttemptAt = record.state == .pending ? record.nextAttemptAt : nil
        lastAttemptAt = record.lastAttemptAt
        lastError = record.lastError
        deliveredAt = record.deliveredAt
        remoteID = record.remoteID
        groups = record.remoteGroups.keys.sorted()
        source = record.source
    }
}
