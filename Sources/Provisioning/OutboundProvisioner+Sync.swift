public import Connectors
import Crypto
public import Foundation
public import IdentityCore
public import IdentityStorage
import Logging
import SCIM

/// Making one target match one account (PR-2): the User created, replaced or deleted, its
/// roles as Group membership.
extension OutboundProvisioner {
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
    /// membership goes through Groups), `externalId` the account's id here (RFC 7643 §3.1:
    /// the id *this* client knows it by — not the one an inbound SCIM client gave it).
    static func outbound(_ resource: SCIMValue, userID: String) -> SCIMValue {
        guard case .object(let members) = resource else { return resource }
        var kept = members.filter { !["id", "meta", "groups", "externalId"].contains($0.0) }
        let at = kept.firstIndex { $0.0 == "userName" }.map { $0 + 1 } ?? kept.count
        kept.insert(("externalId", .string(userID)), at: at)
        return .object(kept)
    }

    static func digest(_ resource: SCIMValue) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(resource.jsonText().utf8))))
    }
}
