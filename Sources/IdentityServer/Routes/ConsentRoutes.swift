import Foundation
import Hummingbird
import IdentityCore

/// The consent API for the person themselves (CL-4): list my receipts, revoke one.
/// HTTP Basic with the person's own username and password; after a revocation the next
/// login to that application asks again.
struct ConsentRoutes<Context: RequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        router.get("/api/users/v1/me/consents") { request, _ in
            try await asUser(request) { user in try json(try await runtime.storage.consents.list(userID: user.id)) }
        }
        router.delete("/api/users/v1/me/consents") { request, _ in
            guard let name = try FormBody.query(request)["serviceProvider"] else {
                throw RequestError(.requestMissingField, field: "serviceProvider", detail: "name the application whose consent to revoke")
            }
            return try await asUser(request) { user in
                guard let receipt = try await runtime.storage.consents.find(userID: user.id, serviceProvider: name) else {
                    throw RequestError(.storageNotFound, value: name, detail: "no consent for '\(name)'")
                }
                try await runtime.storage.consents.delete(id: receipt.id)
                return Response(status: .noContent)
            }
        }
        router.delete("/api/users/v1/me/consents/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await asUser(request) { user in
                // Someone else's receipt is as missing as an unknown one.
                guard try await runtime.storage.consents.list(userID: user.id).contains(where: { $0.id == id }) else {
                    throw RequestError(.storageNotFound, value: id, detail: "no consent receipt '\(id)'")
                }
                try await runtime.storage.consents.delete(id: id)
                return Response(status: .noContent)
            }
        }
    }

    private func asUser(_ request: Request, _ body: (User) async throws -> Response) async throws -> Response {
        do {
            guard let credentials = AdminMiddleware<Context>.basicCredentials(request),
                let user = try await runtime.engine.verifyCredentials(username: credentials.username, password: credentials.password)
            else {
                var response = try AdminMiddleware<Context>.error(
                    RequestError(.requestUnauthorized, detail: "your username and password are required"), status: .unauthorized)
                response.headers[.wwwAuthenticate] = "Basic realm=\"identity-server\""
                return response
            }
            return try await body(user)
        } catch let error as any CodedError {
            return try AdminMiddleware<Context>.error(error, status: AdminMiddleware<Context>.status(error.code))
        }
    }
}
