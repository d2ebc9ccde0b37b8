import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage

/// FE-4: federated associations — the IdP people an account can be signed in to by — in
/// the shape of WSO2's `federated-associations` API: a person lists and removes their own
/// (`/api/users/v1/me/federated-associations`, HTTP Basic), an admin anyone's
/// (`/admin/v1/users/{id}/federated-associations`). Removing the association an account
/// was provisioned from also forgets that link on the account: the next sign-in through
/// that IdP is a new person to this server.
struct AssociationRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        let asUser = PersonAuthentication<Context>(runtime: runtime)
        router.get("/api/users/v1/me/federated-associations") { request, context in
            try await asUser(request, context) { user in try json(try await list(userID: user.id)) }
        }
        router.delete("/api/users/v1/me/federated-associations") { request, context in
            try await asUser(request, context) { user in
                try await removeAll(userID: user.id)
                return Response(status: .noContent)
            }
        }
        router.delete("/api/users/v1/me/federated-associations/:id") { request, context in
            let id = try context.parameters.decoded("id")
            return try await asUser(request, context) { user in
                try await remove(id: id, userID: user.id)
                return Response(status: .noContent)
            }
        }
    }

    /// The admin API's routes, in its group (admin authentication, JSON errors).
    func addAdminRoutes(to group: RouterGroup<Context>) {
        group.get("users/:id/federated-associations") { _, context in
            let userID = try context.parameters.decoded("id")
            _ = try await runtime.storage.users.get(id: userID)
            return try json(try await list(userID: userID))
        }
        group.delete("users/:id/federated-associations") { _, context in
            let userID = try context.parameters.decoded("id")
            _ = try await runtime.storage.users.get(id: userID)
            try await removeAll(userID: userID)
            return Response(status: .noContent)
        }
        group.delete("users/:id/federated-associations/:association") { _, context in
            try await remove(id: try context.parameters.decoded("association"), userID: try context.parameters.decoded("id"))
            return Response(status: .noContent)
        }
    }

    private func list(userID: String) async throws -> [AssociationView] {
        try await runtime.storage.associations.list(userID: userID).map(AssociationView.init)
    }

    /// Someone else's association is as missing as an unknown one.
    private func remove(id: String, userID: String) async throws {
        guard let association = try await runtime.storage.associations.get(id: id), association.userID == userID else {
            throw StorageError.notFound("association", id)
        }
        try await runtime.forget(association)
    }

    private func removeAll(userID: String) async throws {
        for association in try await runtime.storage.associations.list(userID: userID) {
            try await runtime.forget(association)
        }
    }
}

extension ServerRuntime {
    /// Removes an association; for the one an account was provisioned from, the account's
    /// link to that IdP person goes too (else the next sign-in would find it again).
    func forget(_ association: FederatedAssociation) async throws {
        try await storage.associations.delete(id: association.id)
        guard association.provisioned else { return }
        try await storage.users.update(id: association.userID) { old in
            var new = old
            if new.federation == association.account { new.federation = nil }
            return new
        }
    }
}

/// An association as the APIs show it (WSO2's `federatedUserId`).
struct AssociationView: Encodable {
    let id: String
    let identityProvider: String
    let federatedUserId: String
    /// The account was provisioned from this person (JIT), rather than linked by them.
    let provisioned: Bool
    let associatedAt: Date

    init(_ association: FederatedAssociation) {
        id = association.id
        identityProvider = association.identityProvider
        federatedUserId = association.subject
        provisioned = association.provisioned
        associatedAt = association.associatedAt
    }
}
