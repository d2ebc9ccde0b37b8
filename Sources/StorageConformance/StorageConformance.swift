public import IdentityStorage
import Foundation
import IdentityCore

/// One behaviour every storage backend must show, run by each backend's tests.
///
/// Checks throw `ConformanceFailure` instead of using a test framework, so any test
/// runner (Swift Testing here) can call them, and a new backend gets the whole suite by
/// handing in a factory.
public struct ConformanceCheck: Sendable, CustomStringConvertible {
    public let name: String
    public let run: @Sendable (Storage) async throws -> Void
    public var description: String { name }
}

/// A conformance check that did not hold, with where and why.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String, line: Int = #line) throws {
    if !condition { throw ConformanceFailure(description: "StorageConformance.swift:\(line): \(message())") }
}

func expectError(_ code: ErrorCode, field: String? = nil, line: Int = #line, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as StorageError {
        try expect(error.code == code, "expected \(code), got \(error)", line: line)
        if let field { try expect(error.field == field, "expected field \(field), got \(error.field ?? "nil")", line: line) }
        return
    }
    throw ConformanceFailure(description: "StorageConformance.swift:\(line): expected \(code), nothing was thrown")
}

struct Refused: Error {}

public enum StorageConformance {
    public static let checks: [ConformanceCheck] =
        serviceProviderChecks + userChecks + sessionAndFlowChecks

    static func sp(_ name: String, issuer: String? = nil) -> ServiceProvider {
        ServiceProvider(
            name: name, description: "d",
            saml: issuer.map { SAMLSettings(issuer: $0, acsURLs: ["https://sp.example/acs"]) })
    }

    static let serviceProviderChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "service provider round-trips unchanged") { s in
            var original = sp("travelocity", issuer: "travelocity.com")
            original.claims = ClaimConfiguration(
                dialect: .custom, mappings: [ClaimMapping(local: LocalClaims.emailAddress, sp: "email", mandatory: true)])
            original.certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            try await s.serviceProviders.create(original)
            let stored = try await s.serviceProviders.get(name: "travelocity")
            try expect(stored == original, "stored \(stored) differs from \(original)")
        },
        ConformanceCheck(name: "service provider name is unique") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await expectError(.storageAlreadyExists, field: "name") {
                try await s.serviceProviders.create(sp("a", issuer: "other.example"))
            }
            try expect(try await s.serviceProviders.find(samlIssuer: "other.example") == nil, "refused create left a record")
        },
        ConformanceCheck(name: "SAML issuer is unique across service providers") { s in
            try await s.serviceProviders.create(sp("a", issuer: "same.example"))
            try await expectError(.storageAlreadyExists, field: "saml.issuer") {
                try await s.serviceProviders.create(sp("b", issuer: "same.example"))
            }
            try await expectError(.storageNotFound) { _ = try await s.serviceProviders.get(name: "b") }
        },
        ConformanceCheck(name: "service provider is found by SAML issuer") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await s.serviceProviders.create(sp("b"))
            try expect(try await s.serviceProviders.find(samlIssuer: "a.example")?.name == "a", "not found by issuer")
            try expect(try await s.serviceProviders.find(samlIssuer: "nobody") == nil, "found an unknown issuer")
        },
        ConformanceCheck(name: "update applies the change and a throwing change leaves the record") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            let updated = try await s.serviceProviders.update(name: "a") { old in
                var new = old
                new.description = "changed"
                return new
            }
            try expect(updated.description == "changed", "update did not return the new value")
            do {
                _ = try await s.serviceProviders.update(name: "a") { old in
                    throw Refused()
                }
                try expect(false, "a throwing change did not throw")
            } catch is Refused {}
            try expect(try await s.serviceProviders.get(name: "a").description == "changed", "record changed")
        },
        ConformanceCheck(name: "update to a taken SAML issuer is refused and changes nothing") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await s.serviceProviders.create(sp("b", issuer: "b.example"))
            try await expectError(.storageAlreadyExists, field: "saml.issuer") {
                try await s.serviceProviders.update(name: "b") { old in
                    var new = old
                    new.saml?.issuer = "a.example"
                    return new
                }
            }
            try expect(try await s.serviceProviders.get(name: "b").saml?.issuer == "b.example", "record changed")
        },
        ConformanceCheck(name: "rename through update moves the record") { s in
            try await s.serviceProviders.create(sp("old", issuer: "x.example"))
            try await s.serviceProviders.update(name: "old") { old in
                var new = old
                new.name = "new"
                return new
            }
            try await expectError(.storageNotFound) { _ = try await s.serviceProviders.get(name: "old") }
            try expect(try await s.serviceProviders.find(samlIssuer: "x.example")?.name == "new", "renamed record missing")
        },
        ConformanceCheck(name: "update and delete of a missing service provider report not found") { s in
            try await expectError(.storageNotFound) {
                try await s.serviceProviders.update(name: "ghost") { $0 }
            }
            try await expectError(.storageNotFound) { try await s.serviceProviders.delete(name: "ghost") }
        },
        ConformanceCheck(name: "delete removes the service provider and frees its issuer") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await s.serviceProviders.delete(name: "a")
            try await expectError(.storageNotFound) { _ = try await s.serviceProviders.get(name: "a") }
            try await s.serviceProviders.create(sp("b", issuer: "a.example"))
        },
        ConformanceCheck(name: "service providers are listed by name") { s in
            for name in ["zeta", "alpha", "Mid"] { try await s.serviceProviders.create(sp(name)) }
            let names = try await s.serviceProviders.list().map(\.name)
            try expect(names == ["Mid", "alpha", "zeta"], "listed \(names)")
        },
    ]

    static func user(_ id: String, _ username: String, store: String = UserStoreName.primary) -> User {
        User(id: id, userStore: store, username: username, passwordHash: "h", claims: [LocalClaims.emailAddress: "\(username)@example.com"])
    }

    static let userChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "user round-trips and is found by identifier, ignoring case") { s in
            let alice = user("u1", "alice")
            try await s.users.create(alice)
            try expect(try await s.users.get(id: "u1") == alice, "round trip differs")
            try expect(try await s.users.find(UserIdentifier(username: "ALICE"))?.id == "u1", "case-insensitive find failed")
            try expect(try await s.users.find(UserIdentifier(userStore: "SECONDARY", username: "alice")) == nil, "wrong store matched")
        },
        ConformanceCheck(name: "username is unique within a user store, not across stores") { s in
            try await s.users.create(user("u1", "alice"))
            try await expectError(.storageAlreadyExists, field: "username") {
                try await s.users.create(user("u2", "Alice"))
            }
            try await s.users.create(user("u3", "alice", store: "SECONDARY"))
            try expect(try await s.users.list().map(\.id) == ["u1", "u3"], "unexpected users after refusal")
        },
        ConformanceCheck(name: "user update and delete") { s in
            try await s.users.create(user("u1", "alice"))
            try await s.users.update(id: "u1") { old in
                var new = old
                new.claims[LocalClaims.country] = "LK"
                return new
            }
            try expect(try await s.users.get(id: "u1").claims[LocalClaims.country] == "LK", "update lost")
            try await s.users.delete(id: "u1")
            try expect(try await s.users.find(UserIdentifier(username: "alice")) == nil, "deleted user still found")
            try await expectError(.storageNotFound) { try await s.users.delete(id: "u1") }
        },
    ]

    static let sessionAndFlowChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "sessions are created, updated, counted and deleted") { s in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let session = SSOSession(id: "s1", userID: "u1", authenticatedAt: now, expiresAt: now + 3600, authenticators: ["basic"])
            try await s.sessions.create(session)
            try expect(try await s.sessions.get(id: "s1") == session, "round trip differs")
            try await s.sessions.update(id: "s1") { old in
                var new = old
                new.participants.append(SessionParticipant(serviceProvider: "a", sessionIndex: "i", subject: "alice", subjectFormat: nil))
                return new
            }
            try expect(try await s.sessions.get(id: "s1")?.participants.count == 1, "update lost")
            try expect(try await s.sessions.count() == 1, "count")
            try await s.sessions.delete(id: "s1")
            try expect(try await s.sessions.get(id: "s1") == nil, "deleted session still there")
        },
        ConformanceCheck(name: "flows are created, updated and deleted") { s in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let flow = AuthenticationFlowState(
                id: "f1", serviceProvider: "a", inboundProtocol: "saml", inboundContext: Data("{}".utf8), csrfToken: "t",
                browserBinding: "b", createdAt: now, expiresAt: now + 600, forceAuthentication: false, passive: false)
            try await s.flows.create(flow)
            try await expectError(.storageAlreadyExists) { try await s.flows.create(flow) }
            try expect(try await s.flows.get(id: "f1") == flow, "round trip differs")
            try await s.flows.update(id: "f1") { old in
                var new = old
                new.attempts += 1
                return new
            }
            try expect(try await s.flows.get(id: "f1")?.attempts == 1, "update lost")
            try await s.flows.delete(id: "f1")
            try expect(try await s.flows.count() == 0, "count after delete")
        },
    ]
}
