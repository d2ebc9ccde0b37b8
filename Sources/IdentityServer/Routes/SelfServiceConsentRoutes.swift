import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage

/// The consent API for the person themselves (CL-4): list my receipts, revoke one.
/// HTTP Basic with the person's own username and password; after a revocation the next
/// login to that application asks again.
struct SelfServiceConsentRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime
    var asUser: PersonAuthentication<Context> { PersonAuthentication(runtime: runtime) }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/users/v1/me/consents") { request, context in
            try await asUser(request, context) { user in try json(try await runtime.storage.consents.list(userID: user.id)) }
        }
        router.delete("/api/users/v1/me/consents") { request, context in
            guard let name = try FormBody.query(request)["serviceProvider"] else {
                throw RequestError(.requestMissingField, field: "serviceProvider", detail: "name the application whose consent to revoke")
            }
            return try await asUser(request, context) { user in
                guard let receipt = try await runtime.storage.consents.find(userID: user.id, serviceProvider: name) else {
                    throw StorageError.notFound("consent receipt for", name)
                }
                try await runtime.storage.consents.delete(id: receipt.id)
                return Response(status: .noContent)
            }
        }
        router.delete("/api/users/v1/me/consents/:id") { request, context in
            let id = try context.parameters.decoded("id")
            return try await asUser(request, context) { user in
                // Someone else's receipt is as missing as an unknown one.
                guard try await runtime.storage.consents.list(userID: user.id).contains(where: { $0.id == id }) else {
                    throw StorageError.notFound("consent receipt", id)
                }
                try await runtime.storage.consents.delete(id: id)
                return Response(status: .noContent)
            }
        }
    }
}
