import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import SAML

/// AU-8: SSO sessions in the shape of WSO2's session management API. A person lists and
/// ends their own (`/api/users/v1/me/sessions`, HTTP Basic), an admin anyone's
/// (`/admin/v1/users/{id}/sessions`). Ending a session logs the person out of the
/// applications that took part, as single logout would, over the back channel (there is
/// no browser): see ``SAMLSingleLogout/endWithoutBrowser(_:reason:)``.
///
/// A session is named by its OIDC `sid` (an HMAC of the stored ID), never by the stored
/// ID: that is the hash of the cookie, and has no business leaving the server.
struct SessionRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        let asUser = PersonAuthentication<Context>(runtime: runtime)
        router.get("/api/users/v1/me/sessions") { request, context in
            try await asUser(request, context) { user in try json(try await list(userID: user.id)) }
        }
        router.delete("/api/users/v1/me/sessions") { request, context in
            try await asUser(request, context) { user in try json(try await end(userID: user.id, only: nil, reason: LogoutRequest.userReason)) }
        }
        router.delete("/api/users/v1/me/sessions/:id") { request, context in
            let id = try context.parameters.decoded("id")
            return try await asUser(request, context) { user in
                try json(try await end(userID: user.id, only: id, reason: LogoutRequest.userReason))
            }
        }
    }

    /// The admin API's routes, in its group (admin authentication, JSON errors).
    func addAdminRoutes(to group: RouterGroup<Context>) {
        group.get("users/:id/sessions") { _, context in
            let userID = try context.parameters.decoded("id")
            _ = try await runtime.storage.users.get(id: userID)
            return try json(try await list(userID: userID))
        }
        group.delete("users/:id/sessions") { _, context in
            let userID = try context.parameters.decoded("id")
            _ = try await runtime.storage.users.get(id: userID)
            return try json(try await end(userID: userID, only: nil, reason: LogoutRequest.adminReason))
        }
        group.delete("users/:id/sessions/:session") { _, context in
            let userID = try context.parameters.decoded("id")
            return try json(try await end(userID: userID, only: try context.parameters.decoded("session"), reason: LogoutRequest.adminReason))
        }
    }

    /// The person's sessions that have not expired.
    private func live(userID: String) async throws -> [SSOSession] {
        let now = runtime.clock.now
        return try await runtime.storage.sessions.list(userID: userID).filter { $0.expiresAt > now }
    }

    private func list(userID: String) async throws -> [SessionView] {
        try await live(userID: userID).map { SessionView($0, id: runtime.sessionReferences.sid(sessionID: $0.id)) }
    }

    /// Ends the person's live sessions, or the one named `only` (someone else's session is
    /// as missing as an unknown one), and tells each one's applications.
    private func end(userID: String, only id: String?, reason: String) async throws -> EndedSessions {
        var sessions = try await live(userID: userID)
        if let id {
            sessions = sessions.filter { runtime.sessionReferences.sid(sessionID: $0.id) == id }
            guard !sessions.isEmpty else { throw StorageError.notFound("session", id) }
        }
        var ended = EndedSessions(ended: sessions.count, loggedOut: [], failed: [])
        for session in sessions {
            let outcome = try await SAMLSingleLogout(runtime: runtime).endWithoutBrowser(session, reason: reason)
            ended.loggedOut += outcome.loggedOut
            ended.failed += outcome.failed
        }
        runtime.logger.info("sessions API ended \(sessions.count) session(s) of \(userID)")
        return ended
    }
}

/// A session as the API shows it.
struct SessionView: Encodable {
    struct Application: Encodable {
        let name: String
        /// The subject the application knows the person by.
        let subject: String
    }

    let id: String
    let authenticatedAt: Date
    let expiresAt: Date
    let authenticators: [String]
    let applications: [Application]

    init(_ session: SSOSession, id: String) {
        self.id = id
        authenticatedAt = session.authenticatedAt
        expiresAt = session.expiresAt
        authenticators = session.authenticators
        applications = session.participants.map { Application(name: $0.serviceProvider, subject: $0.subject) }
    }
}

/// What ending sessions did: how many ended, and which applications were told (or could
/// not be).
struct EndedSessions: Encodable {
    var ended: Int
    var loggedOut: [String]
    var failed: [String]
}
