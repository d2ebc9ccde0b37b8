public import Foundation
import IdentityCore
import Synchronization

/// AU-7: how failed password checks lock an account, as WSO2's account-lock handler does
/// (`On.Failure.Max.Attempts`, `Time`, `login.fail.timeout.ratio`): after
/// `maximumFailures` consecutive failures the account is locked for `lockDuration ×
/// growthFactor^(locks so far)` — 5, 10, 20 … minutes by default — capped at
/// `maximumLockDuration`. A successful check starts the count again. In `server.yaml`:
/// `accountLock: { maximumFailures, lockSeconds, growthFactor, maximumLockSeconds }`.
public struct AccountLockPolicy: Decodable, Sendable, Equatable {
    /// 0 turns locking off.
    public var maximumFailures: Int
    public var lockDuration: TimeInterval
    public var growthFactor: Double
    public var maximumLockDuration: TimeInterval

    public init(maximumFailures: Int = 5, lockDuration: TimeInterval = 300, growthFactor: Double = 2, maximumLockDuration: TimeInterval = 86_400) {
        self.maximumFailures = maximumFailures
        self.lockDuration = lockDuration
        self.growthFactor = growthFactor
        self.maximumLockDuration = maximumLockDuration
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case maximumFailures, lockSeconds, growthFactor, maximumLockSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        self.init(
            maximumFailures: try c.decodeIfPresent(Int.self, forKey: .maximumFailures) ?? d.maximumFailures,
            lockDuration: try c.decodeIfPresent(TimeInterval.self, forKey: .lockSeconds) ?? d.lockDuration,
            growthFactor: try c.decodeIfPresent(Double.self, forKey: .growthFactor) ?? d.growthFactor,
            maximumLockDuration: try c.decodeIfPresent(TimeInterval.self, forKey: .maximumLockSeconds) ?? d.maximumLockDuration)
    }

    /// How long the lock after `earlierLocks` earlier ones lasts.
    public func duration(afterLocks earlierLocks: Int) -> TimeInterval {
        min(lockDuration * pow(max(1, growthFactor), Double(earlierLocks)), maximumLockDuration)
    }
}

/// AU-7: failed password checks allowed from one client address in a sliding window,
/// whatever the usernames tried: past it, checks from that address are refused without
/// spending a hash, so one host can neither guess across many accounts nor load the
/// server with hashing. Counted in this process (several instances each count their own).
/// In `server.yaml`: `addressLimit: { maximumFailures, windowSeconds }`.
public struct AddressLimit: Decodable, Sendable, Equatable {
    /// 0 turns the limit off.
    public var maximumFailures: Int
    public var window: TimeInterval

    public init(maximumFailures: Int = 50, window: TimeInterval = 300) {
        self.maximumFailures = maximumFailures
        self.window = window
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case maximumFailures, windowSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        self.init(
            maximumFailures: try c.decodeIfPresent(Int.self, forKey: .maximumFailures) ?? d.maximumFailures,
            window: try c.decodeIfPresent(TimeInterval.self, forKey: .windowSeconds) ?? d.window)
    }
}

/// The failures per address inside the window, on the engine's clock. A check is counted
/// when it begins and forgiven when it succeeds, so a burst of parallel guesses is
/// limited as surely as a sequence of them.
final class AddressThrottle: Sendable {
    private let limit: AddressLimit
    private let attempts = Mutex<[String: [Date]]>([:])
    /// Past this many addresses, those with nothing inside the window are forgotten.
    private static let pruneAbove = 10_000

    init(limit: AddressLimit) {
        self.limit = limit
    }

    /// Counts a check from `address` at `now`, or returns false when the address has
    /// used up its failures.
    func begin(_ address: String, now: Date) -> Bool {
        guard limit.maximumFailures > 0 else { return true }
        let since = now.addingTimeInterval(-limit.window)
        return attempts.withLock { attempts in
            var recent = (attempts[address] ?? []).filter { $0 > since }
            guard recent.count < limit.maximumFailures else {
                attempts[address] = recent
                return false
            }
            recent.append(now)
            attempts[address] = recent
            if attempts.count > Self.pruneAbove {
                attempts = attempts.filter { $0.value.contains { $0 > since } }
            }
            return true
        }
    }

    /// The check begun from `address` succeeded: it was not a failure.
    func succeeded(_ address: String) {
        guard limit.maximumFailures > 0 else { return }
        attempts.withLock { attempts in
            guard var recent = attempts[address], !recent.isEmpty else { return }
            recent.removeLast()
            attempts[address] = recent.isEmpty ? nil : recent
        }
    }
}

/// The rule for passwords people and API clients choose (JIT prompts, the password-change
/// page, the admin API): NIST SP 800-63B §5.1.1.2 — a length, no composition rules — and
/// never the username itself. Users loaded from `users/*.yaml` are fixtures an operator
/// wrote and are not checked. In `server.yaml`: `passwordPolicy: { minimumLength, maximumLength }`.
public struct PasswordPolicy: Decodable, Sendable, Equatable {
    public var minimumLength: Int
    public var maximumLength: Int

    public init(minimumLength: Int = 8, maximumLength: Int = 128) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case minimumLength, maximumLength }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        self.init(
            minimumLength: try c.decodeIfPresent(Int.self, forKey: .minimumLength) ?? d.minimumLength,
            maximumLength: try c.decodeIfPresent(Int.self, forKey: .maximumLength) ?? d.maximumLength)
    }

    /// What is wrong with `password` for the account named `username`, in words for the
    /// person; nil when it is acceptable.
    public func problem(with password: String, username: String?) -> String? {
        if password.count < minimumLength { return "Use at least \(minimumLength) characters." }
        if password.count > maximumLength { return "Use at most \(maximumLength) characters." }
        if let username, !username.isEmpty,
            password.lowercased() == username.lowercased()
                || UsernameProfile.lookupKey(password).map({ $0 == UsernameProfile.lookupKey(username) }) == true
        {
            return "Choose a password that is not your username."
        }
        return nil
    }
}
