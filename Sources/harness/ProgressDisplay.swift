import Foundation
import ScenarioKit
import Synchronization

/// What a run prints as scenarios finish. On a terminal: one status line redrawn in place
/// (`[ 37/117] 35 passed, 2 failed · saml/acs-default`) with each failure printed in full
/// above it. Otherwise (CI logs, pipes, `--no-progress`): one plain line per scenario.
final class ProgressDisplay: Sendable {
    private let total: Int
    private let live: Bool
    private let state = Mutex<(done: Int, failed: Int)>((0, 0))

    init(total: Int, live: Bool) {
        self.total = total
        self.live = live
    }

    /// A live line only on a terminal that can redraw one.
    static func isInteractive() -> Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" } ?? false
            && ProcessInfo.processInfo.environment["CI"] == nil
    }

    func finished(_ outcome: ScenarioOutcome) {
        state.withLock { state in
            state.done += 1
            if outcome.failsRun { state.failed += 1 }
            guard live else {
                print(ConsoleReport.line(outcome))
                return
            }
            var text = "\r\u{1B}[2K"
            if outcome.failsRun || outcome.status == .expectedFailure {
                text += ConsoleReport.line(outcome) + "\n"
            }
            let width = String(total).count
            let done = String(repeating: " ", count: width - String(state.done).count) + String(state.done)
            text += "[\(done)/\(total)] \(state.done - state.failed) ok, \(state.failed) failed · \(outcome.file.id)"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Clears the live line before the summary.
    func end() {
        if live { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
