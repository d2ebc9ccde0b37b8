import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity
@testable import IdentityServer

/// SA-10 at the session authority: what a LogoutRequest ends and what it leaves alone,
/// checked on the stored session itself.
@Suite struct SAMLSingleLogoutTests {
    /// A server whose SP takes part in single logout, and alice's session with it.
    static func serverWithSession() async throws -> (TestServer, SSOSession, String) {
        let server = try await TestServer()
        try await server.runtime.storage.serviceProviders.update(name: "travelocity") { old in
            var new = old
            new.saml?.singleLogout = true
            return new
        }
        let index = server.runtime.sessionReferences.sessionIndex(sessionID: "session-1", serviceProvider: "travelocity", unique: "_login1")
        let session = SSOSession(
            id: "session-1", userID: "u-alice", authenticatedAt: server.clock.now, expiresAt: server.clock.now.addingTimeInterval(3600),
            authenticators: ["basic"],
            participants: [SessionParticipant(serviceProvider: "travelocity", sessionIndex: index, subject: "alice", subjectFormat: NameIDFormat.unspecified.rawValue)])
        try await server.runtime.storage.sessions.create(session)
        return (server, session, index)
    }

    static func logoutQuery(_ server: TestServer, id: String = "_logout1", nameID: String = "alice", index: String) throws -> String {
        let request = LogoutRequest(
            id: id, issueInstant: server.clock.now, issuer: "travelocity.com", destination: "https://idp.test/samlsso", nameID: nameID,
            sessionIndexes: [index])
        return try RedirectBinding.encode(request.tree.serialized(), parameter: "SAMLRequest", relayState: nil)
    }

    /// GETs `/samlsso?query` (no cookie: a cross-site logout carries none); the page.
    static func send(_ server: TestServer, _ query: String) async throws -> (status: Int, text: String) {
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/samlsso?" + query, method: .get)
            return (response.status.code, response.text)
        }
    }

    /// The LogoutResponse in the auto-posting page the server answered with.
    static func answer(_ text: String) throws -> LogoutResponse {
        let marker = try #require(text.range(of: "name=\"SAMLResponse\" value=\""))
        let encoded = String(text[marker.upperBound...].prefix { $0 != "\"" })
        return try LogoutResponse(element: POSTBinding.decode(encoded, parameter: "SAMLResponse").root)
    }

    @Test func aLogoutRequestForTheSessionEndsItAndAnswersSuccess() async throws {
        let (server, session, index) = try await Self.serverWithSession()
        let answer = try Self.answer(try await Self.send(server, Self.logoutQuery(server, index: index)).text)
        #expect(answer.status.isSuccess && answer.status.subcode == nil)
        #expect(answer.inResponseTo == "_logout1")
        #expect(try await server.runtime.storage.sessions.get(id: session.id) == nil)
    }

    @Test func anotherPersonsNameIDOrAnIndexNeverIssuedEndsNothing() async throws {
        let (server, session, index) = try await Self.serverWithSession()
        let otherPerson = try await Self.send(server, Self.logoutQuery(server, id: "_a", nameID: "bob", index: index))
        #expect(try Self.answer(otherPerson.text).status.shortForm == "Requester/UnknownPrincipal")
        #expect(server.log.text.contains(ErrorCode.samlLogoutSubjectMismatch.rawValue))
        let madeUp = try await Self.send(server, Self.logoutQuery(server, id: "_b", index: "made-up"))
        #expect(try Self.answer(madeUp.text).status.shortForm == "Requester/UnknownPrincipal")
        #expect(server.log.text.contains(ErrorCode.samlLogoutSessionUnknown.rawValue))
        #expect(try await server.runtime.storage.sessions.get(id: session.id) == session)
    }

    @Test func aLogoutRequestIsHonouredOnce() async throws {
        let (server, _, index) = try await Self.serverWithSession()
        _ = try await Self.send(server, Self.logoutQuery(server, index: index))
        let again = try await Self.send(server, Self.logoutQuery(server, index: index))
        #expect(again.status == 400)
        #expect(again.text.contains(ErrorCode.samlReplayed.rawValue))
    }

    /// A participant that never answers leaves its logout's progress behind; past its
    /// lifetime nothing can resume it, and the next logout clears it away.
    @Test func aLogoutItsBrowserNeverFinishedIsForgottenOnceExpired() async throws {
        let (server, session, _) = try await Self.serverWithSession()
        let states = server.runtime.storage.records(SAMLLogoutState.self)
        func state(_ id: String, expiresIn seconds: TimeInterval) -> SAMLLogoutState {
            SAMLLogoutState(
                id: id, initiator: .identityProvider(returnTo: nil), pending: [], upstream: nil,
                outstanding: .init(serviceProvider: "travelocity", issuer: "travelocity.com", requestID: "_r-\(id)"), failed: [], frontChannel: [],
                expiresAt: server.clock.now.addingTimeInterval(seconds))
        }
        try await states.create(state("abandoned", expiresIn: -1))
        try await states.create(state("in-progress", expiresIn: 60))
        _ = try await SAMLSingleLogout(runtime: server.runtime).end(session, initiator: .identityProvider(returnTo: nil), except: nil, cookie: nil)
        let left = Set(try await states.all().map(\.id))
        #expect(!left.contains("abandoned"))
        #expect(left.contains("in-progress"))
        #expect(left.count == 2, "the new logout's own progress is kept: \(left)")
    }

    @Test func aLogoutResponseForNoLogoutInProgressIsRefused() async throws {
        let (server, _, _) = try await Self.serverWithSession()
        let stray = LogoutResponse(
            id: "_r", issueInstant: server.clock.now, issuer: "travelocity.com", destination: nil, inResponseTo: "_x", status: .success)
        let received = try ReceivedSAMLMessage(
            .redirect(rawQuery: RedirectBinding.encode(stray.tree.serialized(), parameter: "SAMLResponse", relayState: "no-such-logout")))
        await #expect(throws: SAMLError(.samlLogoutUnexpected, detail: "")) {
            try await SAMLSingleLogout(runtime: server.runtime).response(received)
        }
    }
}
