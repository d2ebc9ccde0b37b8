public import Foundation
public import StrictYAML

/// A scenario file (`Vectors/scenarios/<area>/<name>.yaml`): the parties, the users, the
/// server-side configuration, the steps a person takes, and the BEHAVIOR IDs it covers.
public struct Scenario: Decodable, Sendable {
    public var name: String
    public var covers: [String]
    public var tags: [String]
    /// Alias → mock party. Aliases name the party in steps and in URLs (`{sp}`).
    public var parties: [String: Party]
    /// User files (`users: [...]`), relative to the repository root.
    public var users: [String]
    /// Alias → changes merged into that party's registration at the server.
    public var configure: [String: ConfigValue]
    /// Changes to the server's own settings for this scenario (`enhancedJIT: true`).
    public var server: ConfigValue?
    /// Scenario start time (the fixed clock), ISO 8601.
    public var startTime: Date
    public var steps: [Step]
    /// What the scenario needs of the target beyond HTTP (`needs: [internals]`): on a
    /// target that cannot give it the scenario is not applicable (`server-internals`).
    public var needs: [Need]
    /// What the server must implement for the scenario to apply (`requires:
    /// [idp-initiated]`), beside what its parties imply (see ``ScenarioFile/requirements``).
    public var requires: [Capability]

    public enum Need: String, Decodable, Sendable {
        /// Server state no API exposes (the store's contents, process faults).
        case internals
    }

    public struct Party: Decodable, Sendable {
        /// The party's profile file, relative to the repository root.
        public var profile: String
        /// Changes merged into the profile itself (the mock's own behaviour).
        public var mock: ConfigValue?
        /// Register it at the server (default true).
        public var register: Bool

        enum CodingKeys: String, CodingKey, CaseIterable { case profile, mock, register }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            profile = try c.decode(String.self, forKey: .profile)
            mock = try c.decodeIfPresent(ConfigValue.self, forKey: .mock)
            register = try c.decodeIfPresent(Bool.self, forKey: .register) ?? true
        }
    }

    public static let defaultUsers = ["Mocks/users/default.yaml"]
    public static let defaultStartTime = Date(timeIntervalSince1970: 1_767_258_000)  // 2026-01-01T09:00:00Z

    enum CodingKeys: String, CodingKey, CaseIterable { case name, covers, tags, parties, users, configure, server, start, steps, needs, requires }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        covers = try c.decode([String].self, forKey: .covers)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        parties = try c.decodeIfPresent([String: Party].self, forKey: .parties) ?? [:]
        users = try c.decodeIfPresent([String].self, forKey: .users) ?? Self.defaultUsers
        configure = try c.decodeIfPresent([String: ConfigValue].self, forKey: .configure) ?? [:]
        server = try c.decodeIfPresent(ConfigValue.self, forKey: .server)
        if let text = try c.decodeIfPresent(String.self, forKey: .start) {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "not an ISO 8601 time: \(text)")
            }
            startTime = date
        } else {
            startTime = Self.defaultStartTime
        }
        steps = try c.decode([Step].self, forKey: .steps)
        needs = try c.decodeIfPresent([Need].self, forKey: .needs) ?? []
        requires = try c.decodeIfPresent([Capability].self, forKey: .requires) ?? []
        for alias in configure.keys where parties[alias] == nil {
            throw DecodingError.dataCorruptedError(forKey: .configure, in: c, debugDescription: "configure names '\(alias)', which is not a party")
        }
        if covers.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .covers, in: c, debugDescription: "a scenario covers at least one BEHAVIOR ID")
        }
    }
}

/// One thing the person (or the harness) does, or one check.
public enum Step: Decodable, Sendable {
    /// `start: {at: sp, binding: post, sign: valid, acs: "{sp}/acs/x", …}` — GET the SP's
    /// `/login` with these options (see mock-sp's LoginOptions).
    case start(at: String, options: [(String, String)])
    /// `act: {at: rp, action: refresh, …}` — GET the party's `/<action>` with the other keys
    /// as query parameters (a relying party's refresh, introspect, device/poll…).
    case act(at: String, action: String, options: [(String, String)])
    /// `visit: URL` — GET a URL (placeholders allowed).
    case visit(String)
    /// `post: {url: URL, form: {name: value}}` — POST a form somewhere (raw input).
    case post(url: String, form: [(String, String)])
    /// `login: {username: u, password: p}` — fill and submit the login form on the page.
    case login(username: String, password: String)
    /// `submit: {field: value}` — submit the page's form with these fields changed.
    case submit([(String, String)])
    /// `admin: {method: POST, path: /admin/v1/…, body: {...}}` — call the admin API;
    /// with `as: user:password` call the server as that user instead (the consent API).
    case admin(method: String, path: String, body: ConfigValue?, user: String?)
    /// `save: {name: "{form.csrf}"}` — keep values for later steps as `{saved.name}`.
    case save([(String, String)])
    /// `expect: {...}` — assertions about the current page and the parties.
    case expect(Expectation)
    /// `advance: 90` or `advance: 10m` — move the scenario clock.
    case advance(seconds: Double)
    /// `newBrowser: true` — forget every cookie (another person, or another browser).
    case newBrowser
    /// `race: 6` — the next step's next request to the server is sent 6 times at once (a
    /// double-submitted form, a replayed IdP answer; through a load balancer, to several
    /// instances); the browser goes on with the first answer the server accepted, and
    /// `expect: {raced: …}` checks how many it accepted.
    case race(times: Int)
    /// `unsolicited: {for: travelocity.com, acs: "{sp}/acs/second", relayState: x}` — start
    /// IdP-initiated SSO for the SP with that entity ID, at the URL the target's
    /// ``SAMLIdentityProviderTarget/unsolicitedURL`` builds (each server names these
    /// parameters its own way).
    case unsolicited(entityID: String, options: [(String, String)])
    /// What a person does on the server's own pages, in words any server's page driver
    /// turns into that server's form fields (see ``PageDriver``):
    /// `consent: allow`, `consent: deny`, `consent: {withhold: [lastname]}`;
    /// `provide: {country: NZ}` on the mandatory-claims page;
    /// `provision: {username: u, password: p}` (or `provision: allow` / `deny`) on the
    /// just-in-time provisioning prompt.
    case answer(PageIntent)

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a step has exactly one kind: start, act, visit, post, login, submit, admin, save, expect, advance, newBrowser, race, unsolicited, consent, provide, provision"))
        }
        switch key.stringValue {
        case "start":
            let options = try c.decode(ConfigValue.self, forKey: key)
            guard case .object(let pairs) = options, let at = options["at"]?.stringValue else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "start needs at: <party>")
            }
            self = .start(at: at, options: pairs.filter { $0.0 != "at" }.map { ($0.0, Self.text($0.1)) })
        case "act":
            let options = try c.decode(ConfigValue.self, forKey: key)
            guard case .object(let pairs) = options, let at = options["at"]?.stringValue, let action = options["action"]?.stringValue else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "act needs at: <party> and action: <name>")
            }
            self = .act(at: at, action: action, options: pairs.filter { $0.0 != "at" && $0.0 != "action" }.map { ($0.0, Self.text($0.1)) })
        case "visit":
            self = .visit(try c.decode(String.self, forKey: key))
        case "post":
            let value = try c.decode(ConfigValue.self, forKey: key)
            guard let url = value["url"]?.stringValue, case .object(let form)? = value["form"] else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "post needs url and form")
            }
            self = .post(url: url, form: form.map { ($0.0, Self.text($0.1)) })
        case "login":
            let value = try c.decode([String: String].self, forKey: key)
            guard let username = value["username"], let password = value["password"], value.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "login needs exactly username and password")
            }
            self = .login(username: username, password: password)
        case "submit":
            guard case .object(let pairs) = try c.decode(ConfigValue.self, forKey: key) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "submit takes field: value pairs")
            }
            self = .submit(pairs.map { ($0.0, Self.text($0.1)) })
        case "admin":
            let value = try c.decode(ConfigValue.self, forKey: key)
            guard let method = value["method"]?.stringValue, let path = value["path"]?.stringValue else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "admin needs method and path")
            }
            self = .admin(method: method.uppercased(), path: path, body: value["body"], user: value["as"]?.stringValue)
        case "save":
            guard case .object(let pairs) = try c.decode(ConfigValue.self, forKey: key) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "save takes name: value pairs")
            }
            self = .save(pairs.map { ($0.0, Self.text($0.1)) })
        case "expect":
            self = .expect(try c.decode(Expectation.self, forKey: key))
        case "advance":
            let text = try c.decode(String.self, forKey: key)
            guard let seconds = Self.duration(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "advance takes seconds or 10s/5m/2h")
            }
            self = .advance(seconds: seconds)
        case "unsolicited":
            let options = try c.decode(ConfigValue.self, forKey: key)
            guard case .object(let pairs) = options, let entityID = options["for"]?.stringValue else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unsolicited needs for: <SP entity ID>")
            }
            for (name, _) in pairs where !["for", "acs", "relayState"].contains(name) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unsolicited takes for, acs and relayState, not '\(name)'")
            }
            self = .unsolicited(entityID: entityID, options: pairs.filter { $0.0 != "for" }.map { ($0.0, Self.text($0.1)) })
        case "consent":
            let value = try c.decode(ConfigValue.self, forKey: key)
            switch value {
            case .string("allow"): self = .answer(.consent(allow: true, withhold: []))
            case .string("deny"): self = .answer(.consent(allow: false, withhold: []))
            case .object(let pairs) where pairs.count == 1 && pairs[0].0 == "withhold":
                guard case .array(let claims) = pairs[0].1 else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "withhold takes a list of claims")
                }
                self = .answer(.consent(allow: true, withhold: claims.map(Self.text)))
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "consent is allow, deny or {withhold: [claims]}")
            }
        case "provide":
            guard case .object(let pairs) = try c.decode(ConfigValue.self, forKey: key), !pairs.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "provide takes claim: value pairs")
            }
            self = .answer(.provide(pairs.map { ($0.0, Self.text($0.1)) }))
        case "provision":
            switch try c.decode(ConfigValue.self, forKey: key) {
            case .string("allow"): self = .answer(.provision(allow: true, fields: []))
            case .string("deny"): self = .answer(.provision(allow: false, fields: []))
            case .object(let pairs):
                for (name, _) in pairs where !["username", "password", "confirmation"].contains(name) {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "provision takes username, password and confirmation, not '\(name)'")
                }
                self = .answer(.provision(allow: true, fields: pairs.map { ($0.0, Self.text($0.1)) }))
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "provision is allow, deny or {username, password, confirmation}")
            }
        case "newBrowser":
            self = .newBrowser
            _ = try c.decode(Bool.self, forKey: key)
        case "race":
            let times = try c.decode(Int.self, forKey: key)
            guard (2...Self.maximumRace).contains(times) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "race takes 2…\(Self.maximumRace) copies")
            }
            self = .race(times: times)
        default:
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown step kind '\(key.stringValue)'")
        }
    }

    /// The most copies a `race` step sends: enough to spread over any test cluster.
    public static let maximumRace = 32

    static func text(_ value: ConfigValue) -> String {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): String(d)
        default: value.json
        }
    }

    static func duration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let last = text.last, let unit = units[last], let n = Double(text.dropLast()) { return n * unit }
        return Double(text)
    }
}

/// What an `expect` step checks. Every key is optional; all given must hold.
public struct Expectation: Decodable, Sendable {
    /// The page kind (`login`, `error`, `sp-result`, …).
    public var page: String?
    /// The error page's code.
    public var error: String?
    /// `data-observe` values on the page that must match exactly.
    public var observed: [String: String]
    /// The browser's current URL starts with this.
    public var url: String?
    /// HTTP status of the last response.
    public var status: Int?
    /// What a mock party recorded: `at` names it; `count` is its total; other keys must
    /// equal the same fields of its latest observation, or of observation `index` (from 1).
    public var received: ConfigValue?
    /// No hop of the whole scenario so far went to a URL starting with this.
    public var neverVisited: String?
    /// The admin API answered with this status / error code (after an `admin` step).
    public var adminStatus: Int?
    public var adminError: String?
    /// The admin API's answer is a list of this many entries ("nobody was provisioned").
    public var adminCount: Int?
    /// The admin API's answer is an object with these members (a mapping matches when
    /// every key it names matches, as in `received`).
    public var adminBody: ConfigValue?
    /// The last raced request (`race` step): how many copies went and how many the
    /// server accepted.
    public var raced: Raced?
    /// Something the server does in the background (outbound provisioning, PR-2): the
    /// expectation may take up to this many seconds to hold. Until it does, the last admin
    /// request (a GET) is sent again and the mocks are read again.
    public var within: Double?
    /// The last answer is a JSON object with these members (a mapping matches by the keys
    /// it names; `null` means the member is absent: `{refresh_token: null}`).
    public var json: ConfigValue?
    /// A JWT's content: `of` names it (a placeholder: `"{json.access_token}"`), `header`
    /// and `claims` are matched as `json` is. Read, not verified: a scenario states what a
    /// token says; checking who signed it is a relying party's part.
    public var jwt: ConfigValue?

    static func isMapping(_ value: ConfigValue) -> Bool {
        if case .object = value { return true }
        return false
    }

    static func keys(of value: ConfigValue) -> [String] {
        guard case .object(let pairs) = value else { return [] }
        return pairs.map(\.0)
    }

    public struct Raced: Decodable, Sendable {
        public var attempts: Int?
        public var accepted: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case attempts, accepted }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case page, error, observed, url, status, received, neverVisited, adminStatus, adminError, adminCount, adminBody, raced, within, json, jwt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = try c.decodeIfPresent(String.self, forKey: .page)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        observed = try c.decodeIfPresent([String: String].self, forKey: .observed) ?? [:]
        url = try c.decodeIfPresent(String.self, forKey: .url)
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        received = try c.decodeIfPresent(ConfigValue.self, forKey: .received)
        neverVisited = try c.decodeIfPresent(String.self, forKey: .neverVisited)
        adminStatus = try c.decodeIfPresent(Int.self, forKey: .adminStatus)
        adminError = try c.decodeIfPresent(String.self, forKey: .adminError)
        adminCount = try c.decodeIfPresent(Int.self, forKey: .adminCount)
        adminBody = try c.decodeIfPresent(ConfigValue.self, forKey: .adminBody)
        raced = try c.decodeIfPresent(Raced.self, forKey: .raced)
        within = try c.decodeIfPresent(Double.self, forKey: .within)
        json = try c.decodeIfPresent(ConfigValue.self, forKey: .json)
        jwt = try c.decodeIfPresent(ConfigValue.self, forKey: .jwt)
        if let json, !Self.isMapping(json) {
            throw DecodingError.dataCorruptedError(forKey: .json, in: c, debugDescription: "json is a mapping of the members the answer must have")
        }
        if let jwt {
            let keys = Self.keys(of: jwt)
            guard jwt["of"]?.stringValue != nil, keys.allSatisfy(["of", "header", "claims"].contains), keys.count > 1,
                [jwt["header"], jwt["claims"]].allSatisfy({ $0.map(Self.isMapping) ?? true })
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .jwt, in: c, debugDescription: "jwt is { of: <token>, header: {…}, claims: {…} } with header or claims, each a mapping")
            }
        }
        if let within, !(0...60).contains(within) {
            throw DecodingError.dataCorruptedError(forKey: .within, in: c, debugDescription: "within is 0 to 60 seconds")
        }
    }
}
