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
        serviceProviderChecks + userChecks + associationChecks + identityProviderChecks + sessionAndFlowChecks + recordChecks

    static func sp(_ name: String, issuer: String? = nil) -> ServiceProvider {
        ServiceProvider(name: name, description: "d", sections: issuer.map { [EntrySection(issuer: $0)] } ?? [])
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
            try expect(try await s.serviceProviders.find(.init(field: "entry.issuer", value: "other.example")) == nil, "refused create left a record")
        },
        ConformanceCheck(name: "entry issuer is unique across service providers") { s in
            try await s.serviceProviders.create(sp("a", issuer: "same.example"))
            try await expectError(.storageAlreadyExists, field: "entry.issuer") {
                try await s.serviceProviders.create(sp("b", issuer: "same.example"))
            }
            try await expectError(.storageNotFound) { _ = try await s.serviceProviders.get(name: "b") }
        },
        ConformanceCheck(name: "every lookup key of a section finds its provider; a changed key frees the old one") { s in
            var a = sp("a")
            a[section: EntrySection.self] = EntrySection(issuer: "a.example", aliases: ["a1", "a2"])
            try await s.serviceProviders.create(a)
            try expect(try await s.serviceProviders.find(.init(field: "entry.alias", value: "a2"))?.name == "a", "not found by its second alias")
            try expect(try await s.serviceProviders.find(.init(field: "entry.issuer", value: "a2")) == nil, "a value found under another field")
            var b = sp("b")
            b[section: EntrySection.self] = EntrySection(issuer: "b.example", aliases: ["a2"])
            try await expectError(.storageAlreadyExists, field: "entry.alias") { try await s.serviceProviders.create(b) }
            try await s.serviceProviders.update(name: "a") { old in
                var new = old
                new[section: EntrySection.self]?.aliases = ["a1"]
                return new
            }
            try await s.serviceProviders.create(b)
            try expect(try await s.serviceProviders.find(.init(field: "entry.alias", value: "a2"))?.name == "b", "the freed alias did not move")
            var twice = sp("c")
            twice[section: EntrySection.self] = EntrySection(issuer: "c.example", aliases: ["c1", "c1"])
            try await s.serviceProviders.create(twice)
            try expect(try await s.serviceProviders.find(.init(field: "entry.alias", value: "c1"))?.name == "c", "a value named twice")
        },
        ConformanceCheck(name: "a second section's lookup keys are unique and find their service provider") { s in
            var a = sp("a")
            a[section: ClientSection.self] = ClientSection(id: "client-a")
            try await s.serviceProviders.create(a)
            var b = sp("b")
            b[section: ClientSection.self] = ClientSection(id: "client-a")
            try await expectError(.storageAlreadyExists, field: "client.id") { try await s.serviceProviders.create(b) }
            try expect(try await s.serviceProviders.find(.init(field: "client.id", value: "client-a"))?.name == "a", "not found by client ID")
            try expect(try await s.serviceProviders.find(.init(field: "client.id", value: "client-b")) == nil, "found an unknown client")
        },
        ConformanceCheck(name: "service provider is found by entry issuer") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await s.serviceProviders.create(sp("b"))
            try expect(try await s.serviceProviders.find(.init(field: "entry.issuer", value: "a.example"))?.name == "a", "not found by issuer")
            try expect(try await s.serviceProviders.find(.init(field: "entry.issuer", value: "nobody")) == nil, "found an unknown issuer")
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
        ConformanceCheck(name: "update to a taken entry issuer is refused and changes nothing") { s in
            try await s.serviceProviders.create(sp("a", issuer: "a.example"))
            try await s.serviceProviders.create(sp("b", issuer: "b.example"))
            try await expectError(.storageAlreadyExists, field: "entry.issuer") {
                try await s.serviceProviders.update(name: "b") { old in
                    var new = old
                    new[section: EntrySection.self]?.issuer = "a.example"
                    return new
                }
            }
            try expect(try await s.serviceProviders.get(name: "b")[section: EntrySection.self]?.issuer == "b.example", "record changed")
        },
        ConformanceCheck(name: "rename through update moves the record") { s in
            try await s.serviceProviders.create(sp("old", issuer: "x.example"))
            try await s.serviceProviders.update(name: "old") { old in
                var new = old
                new.name = "new"
                return new
            }
            try await expectError(.storageNotFound) { _ = try await s.serviceProviders.get(name: "old") }
            try expect(try await s.serviceProviders.find(.init(field: "entry.issuer", value: "x.example"))?.name == "new", "renamed record missing")
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
        ConformanceCheck(name: "user round-trips and is found by its username in canonical form, in any store") { s in
            let alice = user("u1", "alice")
            try await s.users.create(alice)
            try expect(try await s.users.get(id: "u1") == alice, "round trip differs")
            try expect(try await s.users.find(username: "ALICE", tenant: Tenant.superTenant)?.id == "u1", "case-insensitive find failed")
            try expect(try await s.users.find(username: "\u{FF41}lice", tenant: Tenant.superTenant)?.id == "u1", "fullwidth find failed")
            try expect(try await s.users.find(username: "alice", tenant: "example.org") == nil, "another tenant matched")
            try await s.users.create(user("u2", "dave", store: "SECONDARY"))
            try expect(try await s.users.find(username: "Dave", tenant: Tenant.superTenant)?.id == "u2", "a SECONDARY account not found")
        },
        ConformanceCheck(name: "a username is unique in its tenant across every user store (AU-9)") { s in
            try await s.users.create(user("u1", "alice"))
            try await expectError(.storageAlreadyExists, field: "username") { try await s.users.create(user("u2", "Alice")) }
            try await expectError(.storageAlreadyExists, field: "username") { try await s.users.create(user("u3", "alice", store: "SECONDARY")) }
            try await expectError(.storageAlreadyExists, field: "username") { try await s.users.create(user("u4", "\u{FF21}LICE", store: "SECONDARY")) }
            var elsewhere = user("u5", "alice")
            elsewhere.tenant = "example.org"
            try await s.users.create(elsewhere)
            try await s.users.create(user("u6", "bob", store: "SECONDARY"))
            try await expectError(.storageAlreadyExists, field: "username") {
                try await s.users.update(id: "u6") { old in
                    var new = old
                    new.username = "ALICE"
                    return new
                }
            }
            let listed = try await s.users.list().map(\.id)
            try expect(listed == ["u1", "u6", "u5"], "listed \(listed)")
        },
        ConformanceCheck(name: "users are found by a claim's value") { s in
            try await s.users.create(user("u1", "alice"))
            var twin = user("u2", "mallory")
            twin.claims[LocalClaims.emailAddress] = "alice@example.com"
            try await s.users.create(twin)
            try await s.users.create(user("u3", "bob"))
            try expect(try await s.users.find(claim: LocalClaims.emailAddress, value: "alice@example.com").map(\.id) == ["u1", "u2"], "claim lookup")
            try expect(try await s.users.find(claim: LocalClaims.emailAddress, value: "nobody@example.com").isEmpty, "claim lookup matched nobody's value")
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
            try expect(try await s.users.find(username: "alice", tenant: Tenant.superTenant) == nil, "deleted user still found")
            try await expectError(.storageNotFound) { try await s.users.delete(id: "u1") }
        },
        ConformanceCheck(name: "a federated account links one user, is found again, and goes with its IdP") { s in
            let google = FederatedAccount(identityProvider: "google", subject: "1234")
            var alice = user("u1", "alice")
            alice.federation = google
            try await s.users.create(alice)
            try expect(try await s.users.find(federation: google)?.id == "u1", "linked user not found")
            try expect(try await s.users.find(federation: FederatedAccount(identityProvider: "google2", subject: "1234")) == nil, "another IdP matched")
            var twin = user("u2", "alice2")
            twin.federation = google
            try await expectError(.storageAlreadyExists, field: "federation") { try await s.users.create(twin) }
            try await s.users.create(user("u3", "bob"))
            var other = user("u4", "carol")
            other.federation = FederatedAccount(identityProvider: "google-b", subject: "1")
            try await s.users.create(other)
            try expect(try await s.users.unlinkAll(provisionedBy: "google-b") == ["u4"], "unlinkAll touched the wrong users")
            try expect(try await s.users.get(id: "u4").federation == nil, "unlinked account still linked")
            try expect(try await s.users.deleteAll(provisionedBy: "google") == ["u1"], "deleteAll removed the wrong users")
            try expect(try await s.users.list().map(\.id) == ["u3", "u4"], "left users")
        },
    ]

    static func association(_ id: String, _ idp: String, _ subject: String, user: String) -> FederatedAssociation {
        FederatedAssociation(
            id: id, identityProvider: idp, subject: subject, userID: user, provisioned: false, associatedAt: Date(timeIntervalSince1970: 1_767_258_000))
    }

    static let associationChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "a federated person is associated with one account; an account may have several (FE-4)") { s in
            try await s.associations.create(association("a1", "google", "1234", user: "u1"))
            try await s.associations.create(association("a2", "google", "5678", user: "u1"))
            try await s.associations.create(association("a3", "github", "99", user: "u1"))
            try await expectError(.storageAlreadyExists, field: "federation") {
                try await s.associations.create(association("a4", "google", "1234", user: "u2"))
            }
            try expect(try await s.associations.find(FederatedAccount(identityProvider: "google", subject: "1234"))?.userID == "u1", "find")
            try expect(try await s.associations.get(id: "a3") == association("a3", "github", "99", user: "u1"), "round trip")
            try expect(try await s.associations.list(userID: "u1").map(\.id) == ["a3", "a1", "a2"], "listed by IdP then subject")
            try await s.associations.delete(id: "a1")
            try await expectError(.storageNotFound) { try await s.associations.delete(id: "a1") }
            try expect(try await s.associations.deleteAll(identityProvider: "google") == 1, "deleteAll by IdP")
            try await s.associations.create(association("a5", "google", "1234", user: "u2"))
            try expect(try await s.associations.deleteAll(userID: "u1") == 1, "deleteAll by user")
            try expect(try await s.associations.list(userID: "u2").map(\.id) == ["a5"], "another account's association went too")
        },
    ]

    static let identityProviderChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "identity providers round-trip, are unique by name, listed, updated and deleted") { s in
            let google = IdentityProvider(
                name: "google", kind: .google,
                sections: [ConnectionSection(endpoint: "https://t", secret: "s")],
                claims: IdPClaimConfiguration(mappings: [IdPClaimMapping(idp: "email", local: LocalClaims.emailAddress)]),
                jit: JITSettings(mode: .promptConsent, userStore: "SECONDARY"))
            try await s.identityProviders.create(google)
            try expect(try await s.identityProviders.get(name: "google") == google, "round trip differs")
            try await expectError(.storageAlreadyExists) { try await s.identityProviders.create(google) }
            try await s.identityProviders.create(IdentityProvider(name: "corp", kind: .saml))
            try expect(try await s.identityProviders.list().map(\.name) == ["corp", "google"], "list")
            try await s.identityProviders.update(name: "google") { old in
                var new = old
                new.enabled = false
                return new
            }
            try expect(try await s.identityProviders.get(name: "google").enabled == false, "update lost")
            try await s.identityProviders.delete(name: "google")
            try await expectError(.storageNotFound) { _ = try await s.identityProviders.get(name: "google") }
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
        ConformanceCheck(name: "a person's sessions are listed by login time, and no one else's") { s in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for (id, user, offset) in [("b", "u1", 60.0), ("a", "u1", 120), ("c", "u2", 0), ("d", "u1", 60)] {
                try await s.sessions.create(
                    SSOSession(id: id, userID: user, authenticatedAt: now + offset, expiresAt: now + 3600, authenticators: ["basic"]))
            }
            try expect(try await s.sessions.list(userID: "u1").map(\.id) == ["b", "d", "a"], "u1's sessions")
            try await s.sessions.delete(id: "d")
            try expect(try await s.sessions.list(userID: "u1").map(\.id) == ["b", "a"], "a deleted session is still listed")
            try expect(try await s.sessions.list(userID: "nobody").isEmpty, "a stranger has sessions")
        },
        ConformanceCheck(name: "sessions are found by the federated login they came from") { s in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            func login(_ nameID: String, _ index: String) -> FederatedLogin {
                FederatedLogin(identityProvider: "partner", nameID: nameID, nameIDFormat: nil, sessionIndex: index)
            }
            for (id, federated) in [("b", login("sam", "1")), ("a", login("sam", "2")), ("c", login("tess", "3"))] {
                try await s.sessions.create(
                    SSOSession(
                        id: id, userID: "u-\(id)", authenticatedAt: now, expiresAt: now + 3600, authenticators: ["partner"], federatedLogin: federated))
            }
            try await s.sessions.create(SSOSession(id: "d", userID: "u1", authenticatedAt: now, expiresAt: now + 3600, authenticators: ["basic"]))
            try expect(try await s.sessions.list(federatedKey: login("sam", "").key).map(\.id) == ["a", "b"], "sam's sessions")
            try expect(try await s.sessions.get(id: "a")?.federatedLogin == login("sam", "2"), "the federated login did not round-trip")
            try expect(try await s.sessions.list(federatedKey: FederatedLogin.key(identityProvider: "other", nameID: "sam")).isEmpty, "another IdP's sam")
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

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func grant(_ id: String, code: String? = nil, group: String) -> GrantRecord {
        GrantRecord(id: id, code: code, group: group, issuedAt: now)
    }

    static let recordChecks: [ConformanceCheck] = [
        ConformanceCheck(name: "a protocol's record round-trips and is used once through compare-and-swap") { s in
            let records = s.records(GrantRecord.self)
            let code = grant("h1", code: "c1", group: "g1")
            try await records.create(code)
            try expect(try await records.get("h1") == code, "round trip differs")
            try await expectError(.storageAlreadyExists, field: "id") { try await records.create(code) }
            let claim: @Sendable (GrantRecord) throws -> GrantRecord = { old in
                guard !old.used else { throw Refused() }
                var new = old
                new.used = true
                return new
            }
            try await records.update("h1", claim)
            do {
                try await records.update("h1", claim)
                try expect(false, "a used record was claimed twice")
            } catch is Refused {}
            try await expectError(.storageNotFound) { try await records.update("ghost") { $0 } }
        },
        ConformanceCheck(name: "a record's unique column finds it and refuses a second holder") { s in
            let records = s.records(GrantRecord.self)
            try await records.create(grant("d1", code: "BDWD-HQPK", group: "g1"))
            try await records.create(grant("d3", group: "g1"))
            try await records.create(grant("d4", group: "g1"))
            try expect(try await records.find("code", equals: "BDWD-HQPK")?.id == "d1", "not found by unique column")
            try expect(try await records.find("code", equals: "NONE") == nil, "found an unknown value")
            try await expectError(.storageAlreadyExists, field: "code") { try await records.create(grant("d2", code: "BDWD-HQPK", group: "g2")) }
            try expect(try await records.get("d2") == nil, "a refused record was stored")
        },
        ConformanceCheck(name: "records are changed by an indexed column in one step, listed (all, or by an indexed column), replaced and deleted") { s in
            let records = s.records(GrantRecord.self)
            for (id, group) in [("t1", "g1"), ("t2", "g1"), ("t3", "g2")] { try await records.create(grant(id, group: group)) }
            let use: @Sendable (GrantRecord) -> GrantRecord = { var new = $0; new.used = true; return new }
            try expect(try await records.updateAll("grant_group", equals: "g1", where: { !$0.used }, use) == 2, "change by group")
            try expect(try await records.updateAll("grant_group", equals: "g1", where: { !$0.used }, use) == 0, "changing again changes nothing")
            try expect(try await records.get("t3")?.used == false, "another group changed")
            try expect(try await records.all().map(\.id).sorted() == ["t1", "t2", "t3"], "all")
            try expect(try await records.all("grant_group", equals: "g1").map(\.id) == ["t1", "t2"], "all of one group, in key order")
            try expect(try await records.all("grant_group", equals: "none").isEmpty, "all of an unknown group")
            var replaced = grant("t3", code: "new", group: "g2")
            replaced.used = true
            try await records.upsert(replaced)
            try await records.upsert(grant("t5", group: "g3"))
            try expect(try await records.get("t3") == replaced, "upsert did not replace")
            try await records.delete("t1")
            try await expectError(.storageNotFound) { try await records.delete("t1") }
            try expect(try await records.all().map(\.id).sorted() == ["t2", "t3", "t5"], "all after delete")
        },
        ConformanceCheck(name: "a one-time value is claimed once until it expires") { s in
            try expect(try await s.replays.claim("jti-1", until: now + 60, now: now), "first claim refused")
            try expect(!(try await s.replays.claim("jti-1", until: now + 60, now: now + 30)), "second claim accepted")
            try expect(try await s.replays.claim("jti-2", until: now + 60, now: now + 30), "another key refused")
            try expect(try await s.replays.claim("jti-1", until: now + 200, now: now + 61), "an expired entry still blocks")
        },
        ConformanceCheck(name: "one consent receipt per user and SP, changed in one step, listed per user, removed with its user or SP") { s in
            let first = ConsentReceipt(id: "r1", userID: "u1", serviceProvider: "app", granted: ["a"], denied: ["b"], consentedAt: now, version: 1)
            let created = try await s.consents.record(userID: "u1", serviceProvider: "app") { old in
                precondition(old == nil)
                return first
            }
            try expect(created == first, "record did not return the stored receipt")
            try await s.consents.record(userID: "u1", serviceProvider: "other") { _ in
                ConsentReceipt(id: "r2", userID: "u1", serviceProvider: "other", granted: [], denied: [], consentedAt: now, version: 1)
            }
            try await s.consents.record(userID: "u2", serviceProvider: "app") { _ in
                ConsentReceipt(id: "r4", userID: "u2", serviceProvider: "app", granted: [], denied: [], consentedAt: now, version: 1)
            }
            let changed = try await s.consents.record(userID: "u1", serviceProvider: "app") { old in
                var new = old ?? first
                new.granted.append("c")
                new.version += 1
                return new
            }
            try expect(changed.id == "r1" && changed.version == 2 && changed.granted == ["a", "c"], "not changed in place")
            try expect(try await s.consents.find(userID: "u1", serviceProvider: "app") == changed, "change not stored")
            do {
                _ = try await s.consents.record(userID: "u1", serviceProvider: "app") { old in
                    var moved = old ?? first
                    moved.userID = "u3"
                    return moved
                }
                try expect(false, "a receipt moved to another user")
            } catch is StorageError {}
            try expect(try await s.consents.list(userID: "u1").map(\.serviceProvider) == ["app", "other"], "list")
            try expect(try await s.consents.list(userID: "u9").isEmpty, "another user's receipts")
            try expect(try await s.consents.deleteAll(serviceProvider: "app") == 2, "receipts of a deleted SP")
            try expect(try await s.consents.list(userID: "u2").isEmpty, "a deleted SP's receipt survived")
            try expect(try await s.consents.deleteAll(userID: "u1") == 1, "receipts of a deleted user")
            try expect(try await s.consents.all().isEmpty, "receipts left")
            try await s.consents.record(userID: "u1", serviceProvider: "app") { _ in first }
            try await s.consents.delete(id: "r1")
            try expect(try await s.consents.find(userID: "u1", serviceProvider: "app") == nil, "deleted receipt found")
        },
    ]
}
