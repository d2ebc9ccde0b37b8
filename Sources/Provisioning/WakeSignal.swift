import Synchronization

/// Says yes at most once per period (the first time at once).
final class Every: Sendable {
    private let next = Mutex<ContinuousClock.Instant?>(nil)
    let period: Duration
    init(seconds: Int) { period = .seconds(seconds) }
    func due(_ now: ContinuousClock.Instant) -> Bool {
        next.withLock { next in
            guard next.map({ now >= $0 }) ?? true else { return false }
            next = now + period
            return true
        }
    }
}

/// Wakes the worker when something was queued, so a change goes out at once rather
/// than at its next look at the queue.
final class WakeSignal: Sendable {
    private let raised = Mutex(false)
    func wake() { raised.withLock { $0 = true } }
    /// Whether it was raised since the last call.
    func take() -> Bool { raised.withLock { value in defer { value = false }; return value } }
}
