public import Foundation
import Synchronization

/// The source of "now" for every time-dependent rule (validity windows, session expiry,
/// IssueInstant). Injected everywhere so a scenario can run at a fixed instant and
/// produce the same observations on every machine.
///
/// Named `WallClock` rather than `Clock` so it does not collide with the standard
/// library's monotonic `Clock` protocol, which answers a different question.
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The real time of this machine.
public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that stands still until told to move; scenarios and tests use it.
public final class FixedWallClock: WallClock {
    private let instant: Mutex<Date>

    public init(_ start: Date) {
        self.instant = Mutex(start)
    }

    public var now: Date { instant.withLock { $0 } }

    /// Moves the clock forward (or backward, with a negative interval).
    public func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}
