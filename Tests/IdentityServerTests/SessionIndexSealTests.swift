import Foundation
import IdentityCore
import Testing
@testable import IdentityServer

/// SA-10: a SessionIndex names its session and SP to this server only, so a LogoutRequest
/// that arrives without the session cookie still finds the session, and no one can
/// make up an index for another session.
@Suite struct SessionIndexSealTests {
    @Test func anIndexOpensToItsSessionAndServiceProvider() async throws {
        let seal = try await TestServer().runtime.sessionIndexes
        let index = seal.make(sessionID: "session-1", serviceProvider: "travelocity", unique: "_a")
        let opened = try #require(seal.open(index))
        #expect(opened.sessionID == "session-1")
        #expect(opened.serviceProvider == "travelocity")
    }

    @Test func everyLoginGetsAnotherIndexSoSPsCannotCorrelateThePerson() async throws {
        let seal = try await TestServer().runtime.sessionIndexes
        let first = seal.make(sessionID: "session-1", serviceProvider: "travelocity", unique: "_a")
        #expect(first != seal.make(sessionID: "session-1", serviceProvider: "avis", unique: "_b"))
        #expect(first != seal.make(sessionID: "session-1", serviceProvider: "travelocity", unique: "_c"))
    }

    @Test func aTamperedMadeUpOrForeignIndexOpensToNothing() async throws {
        let server = try await TestServer()
        let seal = server.runtime.sessionIndexes
        var bytes = Array(try #require(Base64URL.decode(seal.make(sessionID: "session-1", serviceProvider: "sp", unique: "_a"))))
        bytes[20] ^= 1
        #expect(seal.open(Base64URL.encode(bytes)) == nil)
        #expect(seal.open("_0123456789abcdef") == nil)
        #expect(seal.open(String(repeating: "A", count: 5000)) == nil)
        // Another server's key (the EC key alone) cannot open it.
        let other = SessionIndexSeal(credentials: ServerCredentials(rsa: nil, ec: server.runtime.credentials.rsa))
        #expect(other.open(seal.make(sessionID: "session-1", serviceProvider: "sp", unique: "_a")) == nil)
    }
}
