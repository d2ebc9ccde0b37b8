public import Foundation

/// Blocking work — a child's pipe read to its end, a socket waited on — run on a Dispatch
/// thread and awaited. Never on the concurrency pool: it has one thread per core (two
/// here), and every in-process server of the suite answers on it, so a test that blocked
/// one of them for seconds held up every other test's server (see ``TestProcess``).
public enum OffPool {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
