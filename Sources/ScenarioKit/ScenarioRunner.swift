public import AsyncHTTPClient
public import Foundation
import OneTimePasswords
import IdentityCore
import MockSupport
import StrictYAML
import Synchronization
public import HTTPServing
import OutboundHTTP

/// What running one scenario produced.
public struct ScenarioRun: Sendable {
    public let file: ScenarioFile
    /// The normalised observations (nil when the scenario could not run).
    public let vector: JSONValue?
    /// Why the scenario could not run or an `expect` step failed.
    public let error: String?
    public let seconds: Double
    /// The browser's steps and hops, raw.
    public var trace = RunTrace()
    /// What the parties received on the back channel.
    public var traffic: [TrafficExchange] = []
    /// Party alias (and `server`) → base URL.
    public var parties: [String: String] = [:]
    /// A back-channel caller's User-Agent → its party alias (or `server`, `harness`).
    public var callers: [String: String] = [:]
    /// The aliases of the mock identity providers (drawn on the server's far side).
    public var identityProviders: Set<String> = []
}

/// Runs scenarios: a fresh server (from the target) and fresh mocks per scenario, all on
/// the scenario's fixed clock and seeded IDs, driven by a headless user agent; then
/// collects every party's observations into a normalised vector.
public struct ScenarioRunner: Sendable {
    public let root: URL
    public let target: any ScenarioTarget
    let client: HTTPClient
    /// Every mock serves https under this run's CA (`harness run --tls`); the target and
    /// `client` must be made with it too.
    public let tls: RunTLS?

    public init(root: URL, target: any ScenarioTarget, client: HTTPClient, tls: RunTLS? = nil) {
        self.root = root
        self.target = target
        self.client = client
        self.tls = tls
    }

    public func run(_ file: ScenarioFile) async -> ScenarioRun {
        let started = ContinuousClock.now
        let recording = Recording()
        var run: ScenarioRun
        do {
            let vector = try await execute(file, recording: recording)
            run = ScenarioRun(file: file, vector: vector, error: nil, seconds: Self.seconds(since: started))
        } catch {
            run = ScenarioRun(file: file, vector: nil, error: "\(error)", seconds: Self.seconds(since: started))
        }
        run.trace = recording.trace
        run.traffic = recording.traffic.all
        run.parties = recording.parties.withLock { $0 }
        run.callers = recording.callers.withLock { $0 }
        run.identityProviders = recording.identityProviders.withLock { $0 }
        return run
    }

    /// What a run records besides its vector, kept even when it fails midway.
    final class Recording: Sendable {
        let trace = RunTrace()
        let traffic = TrafficLog()
        let parties = Mutex<[String: String]>([:])
        let callers = Mutex<[String: String]>(["identity-harness-server": "server", AdminClient.userAgent: "harness"])
        let identityProviders = Mutex<Set<String>>([])

        func tap(_ receiver: String) -> TrafficTap { TrafficTap(receiver: receiver, log: traffic) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A stable seed per scenario and party, so adding a party or scenario does not
    /// change anyone else's IDs.
    static func seed(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0100_0000_01b3
        }
        return hash
    }

    /// A mock party of one run.
    struct Party {
        let alias: String
        let profile: PartyProfile
        let profileFile: URL
        let mock: any MockParty
        let server: InProcessServer

        /// Its observations so far, as JSON.
        func observations() throws -> JSONValue {
            try JSONValue(parsing: mock.encodedObservations())
        }
    }

    /// Starts the server and the parties, runs the scenario, and always stops them all.
    private func execute(_ file: ScenarioFile, recording: Recording) async throws -> JSONValue {
        // A server that keeps its own clock would refuse messages from the scenario's
        // fixed past (and the mocks its answers): the mocks' clock then starts at the
        // current second instead (and, as always, moves only with `advance` steps).
        let clock = FixedWallClock(target.isReproducible ? file.scenario.startTime : Self.wholeSecond(Date()))
        let server = try await target.start(
            clock: clock, seed: Self.seed(file.id), settings: file.scenario.server, tap: recording.tap("server"))
        recording.parties.withLock { $0["server"] = server.baseURL }
        var parties = [Party]()
        // What the scenario configures at a server that is not reset is removed after it.
        var before: TargetInventory?
        let result: Result<JSONValue, any Error>
        do {
            if !target.isReproducible { before = try await server.adapter.inventory(of: server, client: client) }
            for alias in file.scenario.parties.keys.sorted() {
                let party = try await startParty(alias, of: file, clock: clock, serverURL: server.baseURL, tap: recording.tap(alias))
                recording.parties.withLock { $0[alias] = party.server.baseURL }
                if party.profile.isIdentityProvider { recording.identityProviders.withLock { _ = $0.insert(alias) } }
                if case .oidc(let rp) = party.profile {
                    recording.callers.withLock { $0["identity-harness-mock-rp (\(rp.clientID))"] = alias }
                }
                parties.append(party)
            }
            result = .success(try await execute(file, server: server, parties: parties, clock: clock, trace: recording.trace))
        } catch {
            result = .failure(error)
        }
        await stop(server, parties)
        if let before {
            do {
                try await server.adapter.removeAdded(since: before, on: server, client: client)
            } catch {
                // Leftovers would fail the next scenario with a misleading conflict: say so here.
                if case .failure(let failure) = result { throw ScenarioError.setup("\(failure); then cleaning up failed too: \(error)") }
                throw error
            }
        }
        return try result.get()
    }

    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private func stop(_ server: any RunningTarget, _ parties: [Party]) async {
        for party in parties { await party.server.stop() }
        await server.stop()
    }

    private func startParty(_ alias: String, of file: ScenarioFile, clock: FixedWallClock, serverURL: String, tap: TrafficTap) async throws
        -> Party
    {
        let party = file.scenario.parties[alias]!
        let profileFile = root.appendingPathComponent(party.profile)
        let directory = profileFile.deletingLastPathComponent()
        var profile = try PartyProfile.load(profileFile, overrides: party.mock)
        // A mock SP trusts and calls the target's IdP, and a mock RP discovers the target's
        // issuer, wherever the profile says the reference server is.
        let provider: ConfigValue?
        switch profile {
        case .saml: provider = target.samlIdentityProvider.profileOverrides
        case .oidc: provider = target.openIDProvider.profileOverrides
        case .idp, .scim: provider = nil
        }
        if let provider {
            profile = try PartyProfile.load(profileFile, overrides: party.mock.map { $0.merging(provider) } ?? provider)
        }
        let placeholders = Placeholders(values: ["server": serverURL], baseDirectory: directory)
        // A server that is not reset between runs keeps its replay horizons: the same seeded
        // message IDs in a second run against it would be refused (rightly) as replays.
        // Against such a server the mocks draw fresh values each run; what they observe
        // is compared in protocol terms only there (``Vector``), never by these values.
        let random = SeededRandomSource(seed: target.isReproducible ? Self.seed(file.id + "/" + alias) : UInt64.random(in: 0...UInt64.max))
        let mock = try await Self.mock(profile, directory: directory, placeholders: placeholders, clock: clock, random: random, outbound: tls?.trust ?? target.peerTrust)
        // Each party on its own loopback address: another host is another site, so
        // SameSite rules apply between the parties as they would between real domains.
        let host = "127.0.0.\(2 + (file.scenario.parties.keys.sorted().firstIndex(of: alias) ?? 0))"
        return Party(alias: alias, profile: profile, profileFile: profileFile, mock: mock, server: try await mock.start(host: host, port: 0, tls: tls?.server, tap: tap))
    }

    /// The mock a profile describes (not yet listening).
    static func mock(
        _ profile: PartyProfile, directory: URL, placeholders: Placeholders, clock: any WallClock, random: any RandomSource,
        outbound: OutboundTrust = .system
    ) async throws -> any MockParty {
        switch profile {
        case .saml(let saml):
            MockServiceProvider(profile: try ResolvedSPProfile(saml, directory: directory, placeholders: placeholders), clock: clock, random: random)
        case .oidc(let oidc):
            try await MockRelyingParty(profile: oidc, directory: directory, placeholders: placeholders, clock: clock, random: random, outbound: outbound)
        case .idp(let idp):
            try await MockIdentityProvider(profile: idp, directory: directory, placeholders: placeholders, clock: clock, random: random, outbound: outbound)
        case .scim(let scim):
            MockSCIMService(profile: scim, clock: clock, random: random)
        }
    }

    /// Registers a party at the server through its adapter: the profile's registration
    /// with `changes` merged in, `{server}`, `{sp}`/`{idp}` (the party itself) and the other
    /// parties' URLs substituted.
    static func register(
        _ profile: PartyProfile, alias: String, profileFile: URL, changes: ConfigValue?, urls: [String: String], server: any RunningTarget,
        client: HTTPClient
    ) async throws {
        guard var registration = profile.registration else {
            throw ScenarioError.setup("party \(alias): the profile has no registration")
        }
        if let changes { registration = registration.merging(changes) }
        var values = urls
        values["sp"] = urls[alias]
        values["idp"] = urls[alias]
        let placeholders = Placeholders(values: values, baseDirectory: profileFile.deletingLastPathComponent(), strict: true)
        let json = try JSONValue(parsing: Data(registration.mapStrings(placeholders.substitute).json.utf8))
        try await server.adapter.register(json, identityProvider: profile.isIdentityProvider, on: server, client: client)
    }

    private func execute(_ file: ScenarioFile, server: any RunningTarget, parties: [Party], clock: FixedWallClock, trace: RunTrace) async throws
        -> JSONValue
    {
        let scenario = file.scenario
        let start = clock.now
        var urls = ["server": server.baseURL]
        for party in parties { urls[party.alias] = party.server.baseURL }

        // Register each party at the server, with the scenario's changes: identity
        // providers first, since service providers' sequences name them.
        let admin = AdminClient(client: client, target: server)
        let ordered = parties.filter(\.profile.isIdentityProvider) + parties.filter { !$0.profile.isIdentityProvider }
        for party in ordered where scenario.parties[party.alias]!.register {
            try await Self.register(
                party.profile, alias: party.alias, profileFile: party.profileFile, changes: scenario.configure[party.alias], urls: urls,
                server: server, client: client)
        }
        for usersFile in scenario.users {
            let url = root.appendingPathComponent(usersFile)
            let document = ConfigValue(node: try StrictYAML.node(from: String(contentsOf: url, encoding: .utf8), file: usersFile))
            guard case .array(let users)? = document["users"] else {
                throw ScenarioError.setup("\(usersFile) has no users list")
            }
            for user in users {
                try await server.adapter.addUser(try JSONValue(parsing: Data(user.json.utf8)), on: server, client: client)
            }
        }

        // Steps. `{server.sso}` is the target's SAML single sign-on service.
        let browser = UserAgent(client: client, clock: clock, trace: trace, overTLS: tls != nil)
        var values = urls
        let serverPlaceholders = Placeholders(values: urls, baseDirectory: root, strict: true)
        values["server.sso"] = try serverPlaceholders.substitute(target.samlIdentityProvider.ssoURL)
        // `{server.issuer}`: the OpenID Provider's issuer identifier.
        values["server.issuer"] = try serverPlaceholders.substitute(target.openIDProvider.issuerTemplate)
        // `{server.entityID}`, `{server.certificate.rsa}`: who the SPs were told the IdP is.
        for party in parties {
            for (value, placeholder) in Self.serverIdentity(as: party) { values[String(placeholder.dropFirst().dropLast())] = value }
        }
        var context = StepContext(
            placeholders: Placeholders(values: values, baseDirectory: root, strict: true), urls: urls,
            partyURLs: parties.map(\.server.baseURL))
        for (index, step) in scenario.steps.enumerated() {
            trace.begin(step: index + 1, Self.describe(step))
            do {
                if let record = try await perform(step, browser: browser, admin: admin, clock: clock, parties: parties, context: &context) {
                    context.records.append(record)
                }
                // A race applies to the step right after it, which must send the server something.
                if case .race = step {} else if await browser.disarm() {
                    throw ScenarioError.invalid("the step after `race` sent no request to the server")
                }
            } catch {
                throw ScenarioError.expectation("step \(index + 1) (\(Self.describe(step))): \(error)")
            }
        }

        // Final state of every party.
        trace.begin(step: scenario.steps.count + 1, "the harness reads every party's final state")
        var observations = [String: JSONValue]()
        for party in parties {
            let observed = try party.observations()
            observations[party.alias] = Self.naming(observed, Self.serverIdentity(as: party))
        }
        let oauth = parties.contains { if case .oidc = $0.profile { true } else { false } }
        let server = try await server.adapter.finalState(of: server, tokens: oauth, client: client)
        // Two layers: what the harness's own parties observed, in protocol terms, which any
        // server under test must match; and the transcript of how the reference server
        // got there (its hops, pages, codes and state), compared only for a reference run.
        let vector = JSONValue.object([
            "scenario": .string(file.id),
            "name": .string(scenario.name),
            "covers": .array(scenario.covers.sorted().map(JSONValue.string)),
            Vector.portable: .object(["parties": .object(observations)]),
            Vector.reference: .object(["steps": .array(context.records), "server": .object(server)]),
        ])
        var normaliser = Normaliser(bases: urls, start: start)
        return normaliser.normalise(vector)
    }

    /// Who the server is, as one mock party was told: to a mock SP its entity ID becomes
    /// `{server.entityID}` in vectors and the subject of each of its certificates
    /// `{server.certificate.rsa}` (or `.ec`); to a mock RP its issuer `{server.issuer}`. So
    /// the portable layer says "signed by the IdP's RSA key" and another server, with its
    /// own names and keys, can match it. Each party's record is named with its own map,
    /// since a server may use one string as both its entity ID and its issuer. A value the
    /// party was not told about stays as it is, so a wrong issuer still shows.
    static func serverIdentity(as party: Party) -> [String: String] {
        var identities = [String: String]()
        if let rp = party.mock as? MockRelyingParty { identities[rp.issuer] = "{server.issuer}" }
        if let sp = party.mock as? MockServiceProvider {
            identities[sp.profile.profile.idp.entityID] = "{server.entityID}"
            for certificate in sp.profile.idpCertificates {
                if case .rsa = certificate.key {
                    identities["\(certificate.certificate.subject)"] = "{server.certificate.rsa}"
                } else {
                    identities["\(certificate.certificate.subject)"] = "{server.certificate.ec}"
                }
            }
        }
        return identities
    }

    /// A mock SP's or RP's observations with the server's names as placeholders: a SAML
    /// Response's `issuer` and the `signingCertificate` that verified it; an ID token's
    /// `iss`, an authorization response's `issuerParameter` and a discovery document's
    /// `issuer` — where they are what the party was told (anything else stays as it came,
    /// so a wrong issuer shows).
    static func naming(_ observations: JSONValue, _ identities: [String: String]) -> JSONValue {
        switch observations {
        case .array(let entries):
            return .array(entries.map { naming($0, identities) })
        case .object(var fields):
            for (key, value) in fields {
                if Self.namedKeys.contains(key), case .string(let text) = value, let placeholder = identities[text] {
                    fields[key] = .string(placeholder)
                } else if case .object = value {
                    fields[key] = naming(value, identities)
                }
            }
            return .object(fields)
        default:
            return observations
        }
    }

    static let namedKeys: Set<String> = ["issuer", "signingCertificate", "iss", "issuerParameter"]

    /// The running state of one scenario's steps.
    struct StepContext {
        let placeholders: Placeholders
        let urls: [String: String]
        /// The mock parties' base URLs (their pages carry the harness's own markers).
        let partyURLs: [String]
        var current: Navigation?
        var hops: [Hop] = []
        var records: [JSONValue] = []
        var lastAdmin: AdminClient.Reply?
        /// The last raced request (`race` step).
        var lastRace: RaceOutcome?
        /// Values kept by `save` steps.
        var saved: [String: String] = [:]
        /// The last admin request, and where its record is (`within` sends a GET again).
        var lastAdminRequest: AdminRequest?
        var lastAdminRecord: Int?
    }

    struct AdminRequest {
        let method: String
        let path: String
        let json: String?
        let user: String?
    }

    static func adminRecord(method: String, path: String, user: String?, reply: AdminClient.Reply) -> JSONValue {
        let who = user.map { " as \($0.split(separator: ":").first ?? "")" } ?? ""
        return .object(["admin": .string("\(method) \(path)\(who) → \(reply.status)"), "response": reply.body ?? .null])
    }

    /// An expectation about background work (`within`): checked until it holds or the time
    /// is up. One about the admin answer sends the GET just before it again between tries —
    /// its latest answer is the one recorded, so a vector never holds a state the server was
    /// only passing through.
    func eventually(_ e: Expectation, placeholders p: Placeholders, admin: AdminClient, parties: [Party], context: inout StepContext) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int((e.within ?? 0) * 1000))
        while true {
            do {
                try check(e, placeholders: p, context: context, parties: parties)
                return
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
            }
            try await Task.sleep(for: .milliseconds(50))
            // Only an expectation about the admin answer re-sends it, and only while that GET
            // is the step just before: an earlier step's record is never rewritten.
            let aboutAdmin = e.adminStatus != nil || e.adminBody != nil || e.adminCount != nil || e.adminError != nil
            if aboutAdmin, let request = context.lastAdminRequest, request.method == "GET", let index = context.lastAdminRecord,
                index == context.records.count - 1
            {
                let reply = try await admin.send(request.method, request.path, json: request.json, user: request.user)
                context.lastAdmin = reply
                if case .object(let fields) = context.records[index], case .string(let line)? = fields["admin"] {
                    // The step's own wording (its path as written) is kept; only the answer changes.
                    let written = line.components(separatedBy: " → ").first ?? line
                    context.records[index] = .object([
                        "admin": .string("\(written) → \(reply.status)"), "response": reply.body ?? .null,
                    ])
                }
            }
        }
    }

    private func perform(
        _ step: Step, browser: UserAgent, admin: AdminClient, clock: FixedWallClock, parties: [Party], context: inout StepContext
    ) async throws -> JSONValue? {
        // Party URLs, and what the current page shows as {page.<name>} (a device's user code).
        var p = context.placeholders
        for (key, value) in context.current?.page.observed ?? [:] { p.values["page." + key] = value }
        for field in context.current?.page.forms.first?.fields ?? [] where !field.name.isEmpty && p.values["form." + field.name] == nil {
            p.values["form." + field.name] = field.value
        }
        // A JSON answer (a token endpoint's, a mock's control API): its members as
        // `{json.<name>}` (`{json.refresh_token}`), nested ones dotted.
        if let body = context.current?.body, body.first == "{", let json = try? JSONValue(parsing: Data(body.utf8)), case .object = json {
            for (key, value) in json.flattened { p.values["json." + key] = value }
        }
        for (key, value) in context.saved { p.values["saved." + key] = value }
        for (key, value) in context.lastAdmin?.body?.flattened ?? [:] { p.values["admin." + key] = value }
        // MF-1: `{totp.<placeholder>}` is the current TOTP code for a base32 secret held by
        // `{<placeholder>}` (`{totp.page.totp.secret}`, `{totp.saved.secret}`), as an app would show it.
        for (key, value) in p.values where key.hasPrefix("saved.") || key.hasPrefix("page.") {
            if let secret = Base32.decode(value), secret.count >= 10 {
                p.values["totp." + key] = TOTP.code(secret: secret, step: TOTP.step(at: clock.now))
            }
        }
        var navigation: Navigation?
        switch step {
        case .start(let at, let options):
            navigation = try await partyAction(at, "login", options, placeholders: p, browser: browser, context: context)
        case .act(let at, let action, let options):
            navigation = try await partyAction(at, action, options, placeholders: p, browser: browser, context: context)
        case .visit(let url):
            navigation = try await browser.navigate("GET", try p.substitute(url))
        case .post(let url, let form):
            navigation = try await browser.navigate("POST", try p.substitute(url), form: try form.map { ($0.0, try p.substitute($0.1)) })
        case .login(let username, let password):
            guard let current = context.current else { throw ScenarioError.invalid("no page to log in on") }
            let fields = target.pageDriver.loginFields(username: username, password: password, on: current)
            navigation = try await submitForm(fields, browser: browser, context: context)
        case .submit(let fields):
            navigation = try await submitForm(
                Dictionary(try fields.map { ($0.0, try p.substitute($0.1)) }, uniquingKeysWith: { $1 }), browser: browser, context: context)
        case .admin(let method, let path, let body, let user):
            let request = AdminRequest(method: method, path: try p.substitute(path), json: try body?.mapStrings(p.substitute).json, user: user)
            let reply = try await admin.send(request.method, request.path, json: request.json, user: request.user)
            context.lastAdmin = reply
            context.lastAdminRequest = request
            context.lastAdminRecord = context.records.count
            return Self.adminRecord(method: method, path: path, user: user, reply: reply)
        case .expect(let expectation) where expectation.within != nil:
            try await eventually(expectation, placeholders: p, admin: admin, parties: parties, context: &context)
            return nil
        case .save(let pairs):
            for (name, value) in pairs { context.saved[name] = try p.substitute(value) }
            return nil
        case .expect(let expectation):
            try check(expectation, placeholders: p, context: context, parties: parties)
            return nil
        case .advance(let seconds):
            clock.advance(by: seconds)
            try await admin.target.advance(by: seconds)
            return .object(["advance": .int(Int(seconds))])
        case .newBrowser:
            await browser.clearCookies()
            return .object(["newBrowser": .bool(true)])
        case .race(let times):
            await browser.arm(race: times, at: context.urls["server"] ?? "")
            return nil
        case .answer(let intent):
            guard let current = context.current else { throw ScenarioError.invalid("no page to \(intent.description) on") }
            let fields = try target.pageDriver.fields(for: intent, on: current)
            navigation = try await submitForm(try fields.mapValues { try p.substitute($0) }, browser: browser, context: context)
        case .unsolicited(let entityID, let options):
            let url = try target.samlIdentityProvider.unsolicited(
                entityID: entityID, options: Dictionary(options, uniquingKeysWith: { $1 }), placeholders: p)
            navigation = try await browser.navigate("GET", url)
        }
        guard let navigation = navigation.map({ target.pageDriver.recognise($0, partyURLs: context.partyURLs) }) else { return nil }
        context.current = navigation
        context.hops += navigation.hops
        var record: [String: JSONValue] = [
            "do": .string(Self.describe(step)),
            "hops": .array(navigation.hops.map { .string($0.line) }),
            "page": Self.pageRecord(navigation),
        ]
        if let race = navigation.race {
            context.lastRace = race
            // Not the refusals' codes: which check refused a copy first depends on how the
            // copies interleave. A failed `raced` expectation names them, and each copy is
            // a hop of the run's trace.
            record["race"] = .object(["attempts": .int(race.attempts), "accepted": .int(race.accepted)])
        }
        return .object(record)
    }

    /// GET a party's `/<action>` with options as query parameters, as a typed URL.
    private func partyAction(
        _ at: String, _ action: String, _ options: [(String, String)], placeholders p: Placeholders, browser: UserAgent, context: StepContext
    ) async throws -> Navigation {
        guard let base = context.urls[at], at != "server" else { throw ScenarioError.invalid("no party '\(at)'") }
        let query = URLEncoding.query(try options.map { ($0.0, try p.substitute($0.1)) })
        return try await browser.navigate("GET", base + "/" + action + (query.isEmpty ? "" : "?" + query))
    }

    /// Fills the page's form (the one that has every named field) and submits it as a
    /// browser would: disabled fields are not sent, a checkbox only when checked (a value
    /// of `true`/`on` checks it, `false`/`off` unchecks it), and of the submit buttons only
    /// the pressed one — the one whose value a step names, else the first in the page —
    /// and only when it has a name (an unnamed Cancel button sends no button at all).
    private func submitForm(_ values: [String: String], browser: UserAgent, context: StepContext) async throws -> Navigation {
        guard let current = context.current else { throw ScenarioError.invalid("no page to submit a form on") }
        guard let form = current.page.forms.first(where: { form in values.keys.allSatisfy { key in form.fields.contains { $0.name == key } } })
        else {
            throw ScenarioError.expectation(
                "the page (\(current.page.kind ?? "unknown")) has no form with fields \(values.keys.sorted().joined(separator: ", "))")
        }
        let buttons = form.fields.filter { $0.type == "submit" }
        let pressed = buttons.first { values[$0.name] == $0.value } ?? buttons.first
        let fields: [(String, String)] = form.fields.compactMap { field in
            if field.disabled { return nil }
            switch field.type {
            case "submit":
                return field == pressed && !field.name.isEmpty ? (field.name, field.value) : nil
            case "checkbox":
                let checked = values[field.name].map { ["true", "on", "yes"].contains($0.lowercased()) } ?? field.checked
                return checked ? (field.name, field.value.isEmpty ? "on" : field.value) : nil
            default:
                return (field.name, values[field.name] ?? field.value)
            }
        }
        let action = form.target(from: current.url)
        // A GET form's fields replace the action's query (HTML "mutate action URL").
        if form.method.uppercased() == "GET", var components = URLComponents(string: action) {
            components.percentEncodedQuery = URLEncoding.query(fields)
            components.fragment = nil
            return try await browser.navigate("GET", components.string ?? action, initiator: current.url)
        }
        return try await browser.navigate(form.method.uppercased(), action, form: fields, initiator: current.url)
    }

    static func pageRecord(_ navigation: Navigation) -> JSONValue {
        var record: [String: JSONValue] = [
            "status": .int(navigation.status),
            "kind": navigation.page.kind.map(JSONValue.string) ?? .null,
        ]
        if !navigation.page.observed.isEmpty {
            record["observed"] = .object(navigation.page.observed.mapValues(JSONValue.string))
        }
        if !navigation.page.forms.isEmpty {
            record["forms"] = .array(navigation.page.forms.map { form in
                .object([
                    "action": .string(form.action), "method": .string(form.method),
                    "fields": .array(form.sent.map { .string($0.summary) }),
                ])
            })
        }
        return .object(record)
    }

    static func describe(_ step: Step) -> String {
        switch step {
        case .start(let at, let options): "start at \(at)" + (options.isEmpty ? "" : " (" + options.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")")
        case .act(let at, let action, let options):
            "\(action) at \(at)" + (options.isEmpty ? "" : " (" + options.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")")
        case .visit(let url): "visit \(url)"
        case .post(let url, let form): "post to \(url) [\(form.map(\.0).joined(separator: ", "))]"
        case .login(let username, _): "log in as \(username)"
        case .submit(let fields): "submit [\(fields.map(\.0).joined(separator: ", "))]"
        case .admin(let method, let path, _, _): "admin \(method) \(path)"
        case .save(let pairs): "save \(pairs.map(\.0).joined(separator: ", "))"
        case .expect: "expect"
        case .advance(let seconds): "advance \(Int(seconds))s"
        case .newBrowser: "new browser"
        case .race(let times): "send the next request to the server \(times) times at once"
        case .answer(let intent): intent.description
        case .unsolicited(let entityID, let options):
            "IdP-initiated SSO for \(entityID)" + (options.isEmpty ? "" : " (" + options.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")")
        }
    }
}
