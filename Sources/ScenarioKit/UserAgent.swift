public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SAML
import HTTPServing
public import IdentityCore

/// One HTTP exchange the browser made.
public struct Hop: Sendable, Equatable {
    public var method: String
    public var url: String
    public var status: Int
    public var location: String?
    /// Names of the form fields posted (values are volatile or secret).
    public var posted: [String]?
    /// Names of the cookies the browser sent.
    public var sentCookies: [String]
    /// Cookies the response set, with their attributes (values left out).
    public var setCookies: [String]

    /// `POST {sp}/acs [RelayState, SAMLResponse] cookies(ih_browser) → 200 set-cookie(…)`
    public var line: String {
        var s = "\(method) \(url)"
        if let posted { s += " [\(posted.joined(separator: ", "))]" }
        if !sentCookies.isEmpty { s += " cookies(\(sentCookies.joined(separator: ", ")))" }
        s += " → \(status)"
        if let location { s += " \(location)" }
        for cookie in setCookies { s += " set-cookie(\(cookie))" }
        return s
    }
}

/// Where a navigation ended.
public struct Navigation: Sendable {
    public var hops: [Hop]
    public var url: String
    public var status: Int
    public var page: HTMLPage
    public var body: String
    /// Set when a hop of this navigation was raced (``UserAgent/arm(race:at:)``).
    public var race: RaceOutcome? = nil
}

/// One request a browser sent several times at once (issue 19): how many of the answers
/// the server accepted — anything but an error status or an error page — and the error
/// codes of the others. The browser went on with the first accepted copy.
public struct RaceOutcome: Sendable, Equatable {
    public var url: String
    public var attempts: Int
    public var accepted: Int
    /// The error pages' codes (or `status N`) of the refused attempts, distinct and sorted.
    public var refusals: [String]
}

/// A headless browser: a cookie jar with SameSite, Path, Secure and expiry rules, redirects
/// followed one hop at a time (each hop recorded, with the cookies sent and set), and SAML
/// POST-binding forms submitted as a browser's onload would. It runs no scripts; of a
/// page's subresources it loads only iframes (before the load event, as a browser does:
/// front-channel logout is made of them) and follows an immediate meta refresh after
/// them. Time (cookie expiry) is the scenario clock.
public actor UserAgent {
    public static let maximumHops = 20
    private let client: HTTPClient
    private let clock: any WallClock
    private let trace: RunTrace?
    private var jar = CookieJar()
    /// The next request to this origin is sent this many times at once.
    private var armed: Race?

    struct Race: Sendable {
        var times: Int
        var origin: String
    }

    /// `overTLS`: every party is on https (`harness run --tls`); cookies are then recorded
    /// as a plain run records them (``CookieJar/schemeNeutral``).
    public init(client: HTTPClient, clock: any WallClock, trace: RunTrace? = nil, overTLS: Bool = false) {
        self.client = client
        self.clock = clock
        self.trace = trace
        jar.schemeNeutral = overTLS
    }

    public func clearCookies() {
        jar.clear()
    }

    /// The next request this browser sends to `url`'s origin — a form it submits, a
    /// redirect it follows — goes `times` times at once, as a double-clicked button or a
    /// replayed request would, each copy with the same cookies and each followed on its own
    /// (redirects, self-posting forms) to the page it ends on, like several tabs. The
    /// browser goes on with the first copy that did not end on an error (a status of 400
    /// or more, or a page with an error code), keeping only that copy's cookies.
    public func arm(race times: Int, at url: String) {
        armed = URLComponents(string: url).map { Race(times: times, origin: Self.origin($0)) }
    }

    /// Whether an armed race is still waiting for its request (and disarms it).
    public func disarm() -> Bool {
        defer { armed = nil }
        return armed != nil
    }

    static func origin(_ c: URLComponents) -> String {
        let scheme = c.scheme?.lowercased() ?? "http"
        return "\(scheme)://\(c.host?.lowercased() ?? ""):\(c.port ?? (scheme == "https" ? 443 : 80))"
    }

    /// Requests `url` and follows redirects and auto-posting SAML forms to a page.
    /// `initiator` is the page the request came from (nil: typed into the address bar),
    /// which with the redirects decides whether the navigation is cross-site.
    public func navigate(_ method: String, _ url: String, form: [(String, String)]? = nil, initiator: String? = nil) async throws -> Navigation {
        let sites = Set(initiator.flatMap(URLComponents.init(string:)).map(CookieJar.site).map { [$0] } ?? [])
        let race = armed
        let (navigation, jar, raced) = try await follow(method, url, form: form, sites: sites, jar: jar, race: race)
        if raced { armed = nil }
        self.jar = jar
        return navigation
    }

    /// One browser tab: follows from this request to a page with its own cookie jar (the
    /// copies of a raced request each have one), and returns where it ended, its jar and
    /// whether it sent the raced request.
    private nonisolated func follow(
        _ method: String, _ url: String, form: [(String, String)]?, sites: Set<String>, jar: CookieJar, race: Race?, hops: [Hop] = []
    ) async throws -> (Navigation, CookieJar, raced: Bool) {
        var (method, url, form, sites, jar, hops) = (method, url, form, sites, jar, hops)
        while true {
            guard hops.count < Self.maximumHops else {
                throw ScenarioError.navigation("more than \(Self.maximumHops) hops; last at \(url)")
            }
            guard var components = URLComponents(string: url), components.host != nil else {
                throw ScenarioError.navigation("not a URL: \(url)")
            }
            // A browser never sends the fragment (it stays in the address bar).
            components.fragment = nil
            sites.insert(CookieJar.site(components))
            if let race, race.origin == Self.origin(components) {
                let (navigation, chosenJar) = try await racing(race.times, method, url, form: form, sites: sites, jar: jar, hops: hops)
                return (navigation, chosenJar, true)
            }
            let hop = try await send(method, components, url: url, form: form, crossSite: sites.count > 1, jar: &jar)
            hops.append(hop.record)
            if (300..<400).contains(hop.record.status), let location = hop.record.location {
                (method, url, form) = ("GET", location, nil)
                continue
            }
            let page = HTMLPage(html: hop.body)
            if hop.record.status == 200, !page.frames.isEmpty {
                let top = CookieJar.site(components)
                for frame in page.frames {
                    let frameURL = Self.resolve(frame, against: url)
                    guard hops.count < Self.maximumHops, let frameComponents = URLComponents(string: frameURL), frameComponents.host != nil else {
                        throw ScenarioError.navigation("an iframe that is not a URL, or too many hops: \(frame)")
                    }
                    // A frame's request is cross-site when its site is not the page's (its
                    // SameSite=Lax cookies stay home, as in a browser).
                    let loaded = try await send(
                        "GET", frameComponents, url: frameURL, form: nil, crossSite: CookieJar.site(frameComponents) != top, jar: &jar)
                    hops.append(loaded.record)
                }
            }
            if hop.record.status == 200, let refresh = page.refresh {
                // Initiated by this page, like its self-submitting form.
                sites = [CookieJar.site(components)]
                (method, url, form) = ("GET", Self.resolve(refresh, against: url), nil)
                continue
            }
            if hop.record.status == 200, let autoPost = page.forms.first, page.forms.count == 1,
                autoPost.isSAMLAutoPost || (page.submitsOnLoad && autoPost.method == "post" && autoPost.sent.allSatisfy { $0.type == "hidden" })
            {
                // A form the page submits itself: initiated by this page.
                sites = [CookieJar.site(components)]
                (method, url, form) = ("POST", autoPost.target(from: url), autoPost.sent.map { ($0.name, $0.value) })
                continue
            }
            trace?.attachPage(hop.body)
            return (Navigation(hops: hops, url: url, status: hop.record.status, page: page, body: hop.body), jar, false)
        }
    }

    /// The raced request in `times` tabs at once, each followed to its page.
    private nonisolated func racing(
        _ times: Int, _ method: String, _ url: String, form: [(String, String)]?, sites: Set<String>, jar: CookieJar, hops: [Hop]
    ) async throws -> (Navigation, CookieJar) {
        let copies = try await withThrowingTaskGroup(of: (Int, Navigation, CookieJar).self) { group in
            for index in 0..<times {
                group.addTask {
                    let (navigation, jar, _) = try await self.follow(method, url, form: form, sites: sites, jar: jar, race: nil, hops: hops)
                    return (index, navigation, jar)
                }
            }
            var copies = [(Navigation, CookieJar)?](repeating: nil, count: times)
            for try await (index, navigation, jar) in group { copies[index] = (navigation, jar) }
            return copies.compactMap { $0 }
        }
        func refusal(_ navigation: Navigation) -> String? {
            let code = navigation.page.observed["error.code"]
            return navigation.status >= 400 ? code ?? "status \(navigation.status)" : code
        }
        var (chosen, chosenJar) = copies.first { refusal($0.0) == nil } ?? copies[0]
        chosen.race = RaceOutcome(
            url: url, attempts: times, accepted: copies.count { refusal($0.0) == nil }, refusals: Set(copies.compactMap { refusal($0.0) }).sorted())
        return (chosen, chosenJar)
    }

    /// One GET with this browser's cookies and no redirect followed: how the app runner
    /// asks an application's protected page whether the person is signed in (following
    /// its redirect would start a new login at the IdP).
    public func fetch(_ url: String) async throws -> (hop: Hop, body: String) {
        guard let components = URLComponents(string: url), components.host != nil else {
            throw ScenarioError.navigation("not a URL: \(url)")
        }
        var jar = self.jar
        let hop = try await send("GET", components, url: url, form: nil, crossSite: false, jar: &jar)
        self.jar = jar
        trace?.attachPage(hop.body)
        return (hop.record, hop.body)
    }

    private nonisolated func send(
        _ method: String, _ components: URLComponents, url: String, form: [(String, String)]?, crossSite: Bool, jar: inout CookieJar
    ) async throws -> (record: Hop, body: String) {
        // A fragment stays in the browser (RFC 3986 §3.5): it is recorded, never sent.
        var request = HTTPClientRequest(url: url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? url)
        request.method = HTTPMethod(rawValue: method)
        // Marks the browser's requests, which the parties' traffic taps leave to the browser to record.
        request.headers.add(name: "User-Agent", value: TrafficTap.browserUserAgent)
        // What a browser sends on a navigation. Some applications tell a person's browser
        // from an API client by it (mod_auth_openidc answers 401 instead of starting a
        // login when text/html is not accepted).
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        let started = ContinuousClock.now
        let cookies = jar.header(for: components, method: method, crossSite: crossSite, now: clock.now)
        if !cookies.isEmpty {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: URLEncoding.query(form.map { ($0.0, $0.1) })))
        }
        let response = try await client.executeNamingTLSFailures(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        let now = clock.now
        let set = response.headers[canonicalForm: "set-cookie"].compactMap { jar.store(String($0), from: components, now: now) }
        let location = response.headers.first(name: "location").map { Self.resolve($0, against: url) }
        let record = Hop(
            method: method, url: url, status: Int(response.status.code), location: location, posted: form?.map(\.0),
            sentCookies: cookies.map { jar.recordedName($0.name) }.sorted(), setCookies: set)
        trace?.record(
            started: started, method: method, url: url, status: record.status, location: location, form: form,
            contentType: response.headers.first(name: "content-type"))
        return (record, String(buffer: body))
    }

    private static func resolve(_ reference: String, against base: String) -> String {
        URL(string: reference, relativeTo: URL(string: base))?.absoluteString ?? reference
    }
}

/// Why a scenario could not run (as opposed to ran and did not match its vector).
public enum ScenarioError: Error, CustomStringConvertible {
    case navigation(String)
    case invalid(String)
    case setup(String)
    case expectation(String)

    public var description: String {
        switch self {
        case .navigation(let s): "navigation: \(s)"
        case .invalid(let s): "invalid scenario: \(s)"
        case .setup(let s): "setup: \(s)"
        case .expectation(let s): "expectation failed: \(s)"
        }
    }
}
