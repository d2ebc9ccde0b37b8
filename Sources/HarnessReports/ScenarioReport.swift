import Foundation
public import ScenarioKit
public import HTTPServing
import IdentityCore

/// One scenario as the reports show it: its verdict, the HTTP exchanges between the
/// parties in the order they started (browser hops and back-channel calls together), the
/// pages the person saw, and the differences from the vector.
public struct ScenarioReport: Sendable, Codable {
    public struct Event: Sendable, Codable {
        /// The step (1-based) it belongs to; 0 before the first step (registration).
        public var step: Int
        public let from: String
        public let to: String
        public let method: String
        /// Path and query, with party base URLs written as `{alias}`.
        public let target: String
        public let status: Int
        /// Where a redirect pointed, `{alias}`-written.
        public let location: String?
        public let parts: [DecodedPart]
        /// Whether it went through the browser (front channel) or directly (back channel).
        public let frontChannel: Bool
    }

    public struct Page: Sendable, Codable {
        public let step: Int
        public let url: String
        public let status: Int
        public let kind: String?
        public let html: String
    }

    public struct Step: Sendable, Codable {
        public let index: Int
        public let description: String
    }

    public struct Difference: Sendable, Codable {
        public let path: String
        public let expected: String
        public let actual: String
    }

    public let id: String
    public let name: String
    public let covers: [String]
    public let tags: [String]
    /// Set from the outcome (an allowlist entry turns a failure into an expected one).
    public var status: ScenarioOutcome.Status
    public let seconds: Double
    /// Why it failed, was skipped, or is expected to fail.
    public let message: String?
    public let differences: [Difference]
    /// Lanes left to right: browser, SPs/RPs, the server, IdPs, others.
    public let lanes: [String]
    public let steps: [Step]
    public let events: [Event]
    public let pages: [Page]
    /// An application case's verdict (`refused`, `accepted-wrongly`, …) and whom it
    /// signed in; nil for scenarios.
    public var verdict: String?
    public var signedInAs: String?

    public init(_ outcome: ScenarioOutcome) {
        let message: String?
        let differences: [Difference]
        switch outcome.verdict {
        case .failed(let reason): message = reason
        case .notApplicable(let missing): message = "not applicable: \(ScenarioVerdict.notApplicableReason(missing))"
        case .missingVector: message = "no vector: run `swift run harness record \(outcome.file.id)`"
        case .mismatch(let list): message = "differs from \(outcome.file.vectorFile.lastPathComponent) at \(list.count == 10 ? "10 or more" : String(list.count)) places"
        case .passed, .recorded: message = nil
        case .portableMatched: message = "its expectations held and its portable record matched; the reference transcript is compared only against a server reset between scenarios"
        }
        if case .mismatch(let list) = outcome.verdict {
            differences = list.map {
                Difference(path: $0.path.isEmpty ? "(root)" : $0.path, expected: $0.expected.map(\.compact) ?? "(nothing)", actual: $0.actual.map(\.compact) ?? "(nothing)")
            }
        } else {
            differences = []
        }
        let run = outcome.run
        // Left to right as the messages travel: browser, SPs and RPs, server, IdPs, then
        // the harness itself (its admin calls) when it appears.
        let aliases = outcome.file.scenario.parties.keys.sorted()
        let identityProviders = run?.identityProviders ?? []
        let lanes = ["browser"] + aliases.filter { !identityProviders.contains($0) } + ["server"] + aliases.filter(identityProviders.contains)
        self.init(
            id: outcome.file.id, name: outcome.file.scenario.name, covers: outcome.file.scenario.covers, tags: outcome.file.scenario.tags,
            status: outcome.status, seconds: outcome.seconds, message: message, differences: differences,
            lanes: lanes, trace: run?.trace, traffic: run?.traffic ?? [], parties: run?.parties ?? [:], callers: run?.callers ?? [:])
    }

    /// A report from its parts: for a run that is not a scenario (an application under
    /// test), whose trace and back-channel traffic draw the same diagram.
    public init(
        id: String, name: String, covers: [String] = [], tags: [String] = [], status: ScenarioOutcome.Status, seconds: Double, message: String?,
        differences: [Difference] = [], lanes: [String], trace: RunTrace?, traffic: [TrafficExchange], parties: [String: String],
        callers: [String: String]
    ) {
        self.id = id
        self.name = name
        self.covers = covers
        self.tags = tags
        self.status = status
        self.seconds = seconds
        self.message = message
        self.differences = differences
        var lanes = lanes
        let bases = parties.sorted { $0.value.count > $1.value.count }
        steps = (trace?.steps ?? []).map { Step(index: $0.index, description: $0.description) }

        func party(of url: String) -> (alias: String, rest: String) {
            for (alias, base) in bases where url.hasPrefix(base) {
                let rest = String(url.dropFirst(base.count))
                if rest.isEmpty || rest.first == "/" || rest.first == "?" { return (alias, rest.isEmpty ? "/" : rest) }
            }
            return ("elsewhere", url)
        }
        func display(_ url: String) -> String {
            var text = url
            for (alias, base) in bases { text = text.replacingOccurrences(of: base, with: "{\(alias)}") }
            return text
        }
        func caller(_ userAgent: String) -> String { callers[userAgent] ?? "client (\(userAgent))" }

        struct Timed { let started: ContinuousClock.Instant; let event: Event; let page: Page? }
        var timed = [Timed]()
        for hop in trace?.hops ?? [] {
            let (alias, rest) = party(of: hop.url)
            let query = URLComponents(string: hop.url)?.percentEncodedQuery
            let fragment = URLComponents(string: hop.url)?.fragment
            var parts = MessageDecoder.parts(
                query: query, form: hop.form.map { $0.map { ($0.name, $0.value) } }, body: nil, contentType: hop.contentType)
            if let fragment, !fragment.isEmpty {
                parts += MessageDecoder.parts(query: fragment, form: nil, body: nil, contentType: nil).map {
                    DecodedPart(title: $0.title.replacingOccurrences(of: "query parameters", with: "fragment parameters (never sent)"), body: $0.body)
                }
            }
            if let location = hop.location, let redirectQuery = URLComponents(string: location)?.percentEncodedQuery {
                // What a redirect carries is read here, where it is issued.
                parts += MessageDecoder.parts(query: redirectQuery, form: nil, body: nil, contentType: nil).map {
                    DecodedPart(title: "redirect: " + $0.title, body: $0.body)
                }
            }
            let event = Event(
                step: hop.step, from: "browser", to: alias, method: hop.method, target: rest, status: hop.status,
                location: hop.location.map(display), parts: parts, frontChannel: true)
            let page = hop.page.map { Page(step: hop.step, url: display(hop.url), status: hop.status, kind: HTMLPage(html: $0).kind, html: $0) }
            timed.append(Timed(started: hop.started, event: event, page: page))
        }
        for exchange in traffic {
            let query = URLComponents(string: "http://x" + exchange.target)?.percentEncodedQuery
            let path = exchange.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? exchange.target
            var parts = MessageDecoder.parts(query: query, form: nil, body: exchange.requestBody, contentType: exchange.requestContentType)
            parts += MessageDecoder.parts(query: nil, form: nil, body: exchange.responseBody, contentType: exchange.responseContentType).map {
                DecodedPart(title: "response " + $0.title, body: $0.body)
            }
            let event = Event(
                step: 0, from: caller(exchange.caller), to: exchange.receiver, method: exchange.method,
                target: query.map { path + "?" + $0 } ?? path, status: exchange.status, location: nil, parts: parts, frontChannel: false)
            timed.append(Timed(started: exchange.started, event: event, page: nil))
        }
        timed.sort { $0.started < $1.started }
        // A back-channel call belongs to the step that had started when it was made.
        let steps = trace?.steps ?? []
        self.events = timed.map { entry in
            var event = entry.event
            if !event.frontChannel { event.step = steps.last { $0.started <= entry.started }?.index ?? 0 }
            return event
        }
        for event in events where !lanes.contains(event.from) { lanes.append(event.from) }
        self.lanes = lanes
        pages = timed.compactMap(\.page)
    }

}
