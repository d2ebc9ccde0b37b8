import IdentityCore
import Synchronization
import Testing

/// The deadline every outbound call of the server runs under.
@Suite struct DeadlineTests {
    @Test func workThatFinishesInTimeGivesItsResult() async throws {
        let value = try await Deadline.run(within: .seconds(30)) { 42 }
        #expect(value == 42)
    }

    @Test func workThatStallsIsCancelledAndReportedAsExceeded() async throws {
        let sawCancellation = Mutex(false)
        await #expect(throws: Deadline.Exceeded.self) {
            try await Deadline.run(within: .milliseconds(50)) {
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch is CancellationError {
                    sawCancellation.withLock { $0 = true }
                    throw CancellationError()
                }
            }
        }
        #expect(sawCancellation.withLock { $0 }, "the stalled work was left running")
    }

    @Test func theWorksOwnErrorIsNotMistakenForTheDeadline() async throws {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await Deadline.run(within: .seconds(30)) { throw Refused() }
        }
    }
}
