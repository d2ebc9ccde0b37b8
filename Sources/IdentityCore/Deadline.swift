/// A deadline over a whole piece of async work. HTTP clients' own timeouts tend to end when
/// the response head arrives, so a peer that sends its headers and then drips its body one
/// byte at a time would otherwise hold the caller for as long as it likes; every outbound
/// call of the server runs inside one of these.
public enum Deadline {
    /// The work did not finish in time (it has been cancelled).
    public struct Exceeded: Error, Sendable {}

    public static func run<T: Sendable>(within timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Exceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Exceeded() }
            return first
        }
    }
}
