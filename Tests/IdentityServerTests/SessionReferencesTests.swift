import Foundation
import IdentityCore
import Testing
@testable import IdentityServer

/// SA-10: a SessionIndex names its session and SP to this server only, so a LogoutRequest
/// that arrives without the session cookie still finds the session, and no one can
/// make up an index for another session.
@Suite struct SessionReferencesTests {
    @Test func anIndexOpensToItsSessionAndServiceProvider() async throws {
        let seal = try await TestServer().runtime.sessionReferences
        let index = seal.sessionIndex(sessionID: "session-1", serviceProvider: "travelocity", unique: "_a")
        let opened = try #require(seal.session(named: index))
        #expect(opened.sessionID == "session-1")
        #expect(opened.serviceProvider == "travelocity")
    }

    @Test func everyLoginGetsAnotherIndexSoSPsCannotCorrelateThePerson() async throws {
        let seal = try await TestServer().runtime.sessionReferences
        let first = seal.sessionIndex(sessionID: "session-1", serviceProvider: "travelocity", unique: "_a")
        #expect(first != seal.sessionIndex(sessionID: "session-1", serviceProvider: "avis", unique: "_b"))
        #expect(first != seal.sessionIndex(sessionID: "session-1", serviceProvider: "travelocity", unique: "_c"))
    }

    /// OIDC `sid`: one value per session for every RP, not the storage key.
    @Test func theSidNamesTheSessionWithoutRevealingItsKey() async throws {
        let references = try await TestServer().runtime.sessionReferences
        let sid = references.sid(sessionID: "session-1")
        #expect(sid == references.sid(sessionID: "session-1"))
        #expect(sid != references.sid(sessionID: "session-2"))
        #expect(!sid.contains("session-1"))
    }

    @Test func aTamperedMadeUpOrForeignIndexOpensToNothing() async throws {
        let server = try await TestServer()
        let seal = server.runtime.sessionReferences
        var bytes = Array(try #require(Base64URL.decode(seal.sessionIndex(sessionID: "session-1", serviceProvider: "sp", unique: "_a"))))
        bytes[20] ^= 1
        #expect(seal.session(named: Base64URL.encode(bytes)) == nil)
        #expect(seal.session(named: "_0123456789abcdef") == nil)
        #expect(seal.session(named: String(repeating: "A", count: 5000)) == nil)
        // Another server's key (the EC key alone) cannot open it.
        let other = SessionReferences(credentials: ServerCredentials(rsa: nil, ec: server.runtime.credentials.rsa))
        #expect(other.session(named: seal.sessionIndex(sessionID: "session-1", serviceProvider: "sp", unique: "_a")) == nil)
    }
}
