public import IdentityStorage
import Foundation
import IdentityCore
import Synchronization

/// One race two server instances on one database must settle exactly once (issue 19):
/// the check gets two stores opened separately on the same database — two instances — and
/// fires the same change from both at once, ``RaceConformance/rounds`` times over.
public struct RaceCheck: Sendable, CustomStringConvertible {
    public let name: String
    public let run: @Sendable (Storage, Storage) async throws -> Void
    public var description: String { name }
}

/// The races a backend that several instances share must settle: what makes a code single
/// use, a refresh token rotate once, a federated first login make one account, a consent
/// form one receipt.
public enum RaceConformance {
    /// Rounds per check, each with ``contenders`` changes at once spread over both instances.
    public static let rounds = 20
    public static let contenders = 6

    public static let checks: [RaceCheck] = [
        // First, while the database is fresh: a backend that creates a record type's table
        // on first use must survive instances doing it at the same moment.
        RaceCheck(name: "instances that first use a record type at once all find its table") { a, b in
            let made = Counter()
            let stored = try await race(a, b) { storage in
                let id = "first-\(made.next())"
                try await storage.records(GrantRecord.self).create(GrantRecord(id: id, group: "first", issuedAt: StorageConformance.now))
                return try await storage.records(GrantRecord.self).get(id) != nil
            }
            try expect(stored == contenders, "\(contenders - stored) of \(contenders) first uses failed")
        },
        RaceCheck(name: "a one-use record (a code) is used once when every instance uses it at once") { a, b in
            for round in 0..<rounds {
                let id = "grant-\(round)"
                try await a.records(GrantRecord.self).create(GrantRecord(id: id, code: "code-\(round)", group: "g", issuedAt: StorageConformance.now))
                let wins = try await race(a, b) { storage in
                    do {
                        try await storage.records(GrantRecord.self).update(id) { old in
                            guard !old.used else { throw Refused() }
                            var new = old
                            new.used = true
                            return new
                        }
                        return true
                    } catch is Refused {
                        return false
                    }
                }
                try expect(wins == 1, "round \(round): the code was used \(wins) times")
            }
        },
        RaceCheck(name: "one username provisioned at once on every instance makes one account") { a, b in
            for round in 0..<rounds {
                let username = "paula-\(round)"
                let counter = Counter()
                let wins = try await race(a, b) { storage in
                    do {
                        try await storage.users.create(StorageConformance.user("u-\(round)-\(counter.next())", username))
                        return true
                    } catch let error as StorageError where error.code == .storageAlreadyExists {
                        return false
                    }
                }
                try expect(wins == 1, "round \(round): \(wins) accounts were created")
                try expect(try await b.users.find(username: username, tenant: Tenant.superTenant) != nil, "round \(round): no account at all")
            }
        },
        RaceCheck(name: "a one-time value (an assertion ID) is claimed once") { a, b in
            let until = StorageConformance.now.addingTimeInterval(300)
            for round in 0..<rounds {
                let wins = try await race(a, b) { storage in
                    try await storage.replays.claim("assertion-\(round)", until: until, now: StorageConformance.now)
                }
                try expect(wins == 1, "round \(round): the value was claimed \(wins) times")
            }
        },
        RaceCheck(name: "one consent form answered at once on every instance leaves one receipt") { a, b in
            for round in 0..<rounds {
                let user = "u-\(round)"
                let counter = Counter()
                _ = try await race(a, b) { storage in
                    let n = counter.next()
                    try await storage.consents.record(userID: user, serviceProvider: "app") { old in
                        var receipt = old ?? ConsentReceipt(
                            id: "receipt-\(round)-\(n)", userID: user, serviceProvider: "app", granted: [], denied: [],
                            consentedAt: StorageConformance.now, version: 0)
                        receipt.granted = Array(Set(receipt.granted + ["claim-\(n)"])).sorted()
                        receipt.version += 1
                        return receipt
                    }
                    return true
                }
                let receipts = try await b.consents.list(userID: user)
                try expect(receipts.count == 1, "round \(round): \(receipts.count) receipts")
                try expect(receipts.first?.granted.count == contenders, "round \(round): a concurrent answer was lost: \(receipts.first?.granted ?? [])")
            }
        },
    ]

    /// Runs `contender` ``contenders`` times at once, alternating instances; how many won.
    static func race(_ a: Storage, _ b: Storage, _ contender: @escaping @Sendable (Storage) async throws -> Bool) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<contenders {
                let storage = index.isMultiple(of: 2) ? a : b
                group.addTask { try await contender(storage) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }
}

/// Distinct numbers for the contenders of one round.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
