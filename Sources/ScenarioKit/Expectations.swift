import Foundation
import IdentityCore
import MockSupport
import StrictYAML

extension ScenarioRunner {
    /// Checks an `expect` step against the current page, the hops so far and the mocks.
    /// `p`: the step's placeholders (saved values, the last admin answer, the page).
    func check(
        _ e: Expectation, placeholders p: Placeholders, context: StepContext, parties: [Party]
    ) throws {
        var failures = [String]()
        let page = context.current?.page
        if let kind = e.page, page?.kind != kind {
            if let current = context.current, page?.kind == nil, target.pageDriver.rules != nil {
                failures.append(
                    "expected the \(kind) page, but no page rule of the target recognises this one (HTTP \(current.status), title '\(current.page.title)', \(current.url)); its HTML is in the report")
            } else {
                failures.append("page is '\(page?.kind ?? "none")', expected '\(kind)'")
            }
        }
        // The reference server's error codes and observed texts: on another server's
        // pages there are none to expect (the page kind and what the SP got decide there).
        let markers = context.current.map { target.pageDriver.readsMarkers(of: $0, partyURLs: context.partyURLs) } ?? true
        if markers, let code = e.error, page?.observed["error.code"] != code {
            failures.append("error code is '\(page?.observed["error.code"] ?? "none")', expected '\(code)'")
        }
        for (key, value) in e.observed where markers && page?.observed[key] != value {
            failures.append("\(key) is '\(page?.observed[key] ?? "absent")', expected '\(value)'")
        }
        if let url = e.url {
            let expected = try p.substitute(url)
            if !(context.current?.url ?? "").hasPrefix(expected) {
                failures.append("the browser is at \(context.current?.url ?? "nowhere"), expected \(expected)")
            }
        }
        if let status = e.status, context.current?.status != status {
            failures.append("status is \(context.current?.status ?? 0), expected \(status)")
        }
        if let prefix = e.neverVisited {
            let forbidden = try p.substitute(prefix)
            if let hop = context.hops.first(where: { $0.url.hasPrefix(forbidden) || ($0.location ?? "").hasPrefix(forbidden) }) {
                failures.append("the browser was sent to \(forbidden): \(hop.line)")
            }
        }
        if let status = e.adminStatus, context.lastAdmin?.status != status {
            failures.append("admin API answered \(context.lastAdmin?.status ?? 0), expected \(status)")
        }
        if let code = e.adminError, context.lastAdmin?.body?["error"]?.stringValue != code {
            failures.append("admin API error is '\(context.lastAdmin?.body?["error"]?.stringValue ?? "none")', expected '\(code)'")
        }
        if let count = e.adminCount, context.lastAdmin?.body?.arrayValue?.count != count {
            failures.append("admin API listed \(context.lastAdmin?.body?.arrayValue.map { String($0.count) } ?? "no list"), expected \(count)")
        }
        if let raced = e.raced {
            if let race = context.lastRace {
                if let attempts = raced.attempts, race.attempts != attempts {
                    failures.append("the race sent \(race.attempts) copies, expected \(attempts)")
                }
                if let accepted = raced.accepted, race.accepted != accepted {
                    failures.append(
                        "the server accepted \(race.accepted) of \(race.attempts) copies of \(race.url), expected \(accepted) (refused with \(race.refusals.joined(separator: ", ")))")
                }
            } else {
                failures.append("no request was raced")
            }
        }
        if let body = e.adminBody {
            let expected = try JSONValue(parsing: Data(body.mapStrings(p.substitute).json.utf8))
            let actual = context.lastAdmin?.body ?? .null
            if !actual.contains(expected) {
                failures.append("admin API answered \(actual.compact), expected \(expected.compact)")
            }
        }
        if let members = e.json {
            let expected = try JSONValue(parsing: Data(members.mapStrings(p.substitute).json.utf8))
            let actual = (context.current?.body).flatMap { try? JSONValue(parsing: Data($0.utf8)) } ?? .null
            if !actual.contains(expected) {
                failures.append("the answer is \(actual.compact), expected it to contain \(expected.compact)")
            }
        }
        if let jwt = e.jwt {
            failures += try checkJWT(jwt, placeholders: p)
        }
        if let received = e.received {
            failures += try checkReceived(received, placeholders: p, parties: parties)
        }
        if !failures.isEmpty { throw ScenarioError.expectation(failures.joined(separator: "; ")) }
    }

    /// A JWT's header and payload against `header` and `claims`.
    private func checkJWT(_ jwt: ConfigValue, placeholders p: Placeholders) throws -> [String] {
        let token = try p.substitute(jwt["of"]?.stringValue ?? "")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        func part(_ index: Int) -> JSONValue? {
            guard parts.count == 3, let data = Base64URL.decode(String(parts[index])) else { return nil }
            return try? JSONValue(parsing: data)
        }
        guard let header = part(0), let payload = part(1) else { return ["'\(token.prefix(40))' is not a JWT"] }
        var failures = [String]()
        for (name, actual) in [("header", header), ("claims", payload)] {
            guard let members = jwt[name] else { continue }
            let expected = try JSONValue(parsing: Data(members.mapStrings(p.substitute).json.utf8))
            if !actual.contains(expected) {
                failures.append("the JWT's \(name) are \(actual.compact), expected them to contain \(expected.compact)")
            }
        }
        return failures
    }

    private func checkReceived(
        _ received: ConfigValue, placeholders p: Placeholders, parties: [Party]
    ) throws -> [String] {
        guard let alias = received["at"]?.stringValue, let party = parties.first(where: { $0.alias == alias }) else {
            throw ScenarioError.invalid("received needs at: <party>")
        }
        let observations = try party.observations().arrayValue ?? []
        var failures = [String]()
        guard case .object(let pairs) = received else { return ["received must be a mapping"] }
        if case .int(let count)? = received["count"], observations.count != count {
            failures.append("\(alias) received \(observations.count) responses, expected \(count)")
        }
        let fields = pairs.filter { !["at", "count", "index"].contains($0.0) }
        guard !fields.isEmpty else { return failures }
        let actual: JSONValue
        if let index = received["index"] {
            guard case .int(let n) = index, n >= 1 else { return failures + ["index counts observations from 1"] }
            guard n <= observations.count else { return failures + ["\(alias) received \(observations.count) requests, not \(n)"] }
            actual = observations[n - 1]
        } else {
            guard let last = observations.last else { return failures + ["\(alias) received nothing"] }
            actual = last
        }
        for (key, expectedValue) in fields {
            let expected = try JSONValue(parsing: Data(expectedValue.mapStrings(p.substitute).json.utf8))
            let value = actual[key] ?? .null
            if !value.contains(expected) {
                failures.append("\(alias) observed \(key) = \(value.compact), expected \(expected.compact)")
            }
        }
        return failures
    }
}
