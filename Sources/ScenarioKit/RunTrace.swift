import Foundation
import Synchronization

/// Everything a scenario's browser did, step by step, with the raw values the vector
/// leaves out (form values, page HTML) — what a report needs to draw the run and decode
/// its messages. Kept outside the run's control flow so a failing step still leaves the
/// hops that led to it.
public final class RunTrace: Sendable {
    public struct Step: Sendable {
        public let index: Int
        public let description: String
        public let started: ContinuousClock.Instant
    }

    /// One browser request and its answer.
    public struct BrowserHop: Sendable {
        public let step: Int
        public let started: ContinuousClock.Instant
        public let method: String
        public let url: String
        public let status: Int
        public let location: String?
        /// The form posted, values included (reports blank the secret ones).
        public let form: [FormValue]?
        public let contentType: String?
        /// The page's HTML when this hop ended a navigation on a page.
        public var page: String?
    }

    public struct FormValue: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    private struct State {
        var steps: [Step] = []
        var hops: [BrowserHop] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var steps: [Step] { state.withLock { $0.steps } }
    public var hops: [BrowserHop] { state.withLock { $0.hops } }

    func begin(step index: Int, _ description: String) {
        state.withLock { $0.steps.append(Step(index: index, description: description, started: .now)) }
    }

    func record(
        started: ContinuousClock.Instant, method: String, url: String, status: Int, location: String?, form: [(String, String)]?,
        contentType: String?
    ) {
        state.withLock { state in
            let step = state.steps.last?.index ?? 0
            state.hops.append(BrowserHop(
                step: step, started: started, method: method, url: url, status: status, location: location,
                form: form?.map { FormValue(name: $0.0, value: $0.1) }, contentType: contentType, page: nil))
        }
    }

    /// The page the last hop ended on.
    func attachPage(_ html: String) {
        state.withLock { state in
            guard !state.hops.isEmpty else { return }
            state.hops[state.hops.count - 1].page = html
        }
    }
}
