public import AsyncHTTPClient
public import Foundation
import HTTPServing
import IdentityCore
public import MockSupport
import StrictYAML

/// Runs the app suite against one application: the harness plays a hostile identity
/// provider (a mock IdP at the app file's fixed address, on the system clock: a real
/// application checks times against its own clock) and drives a fresh browser through a
/// login for each case.
///
/// The verdict rests on what a person would notice, not on status codes: after the flow
/// the browser asks the application's protected page (`app.signedIn.url`, one GET, no
/// redirect followed) whether it is signed in, and as whom. A refusal counts only when the
/// hostile message is known to have reached the application (the IdP served the login or
/// token and the browser reached the ACS or callback); otherwise the case is
/// inconclusive, because an application that never saw the attack has not refused it.
///
/// The roles are the reverse of ``ScenarioRunner``'s: there the harness starts the
/// relying parties against a server; here the application is started by someone else and
/// configured once against the hostile IdP, so the IdP is one long-lived party, reset and
/// re-armed before each case.
public struct AppRunner: Sendable {
    public let root: URL
    public let file: AppTargetFile
    public let suite: AppSuite
    let client: HTTPClient

    public init(root: URL, file: AppTargetFile, suite: AppSuite, client: HTTPClient) {
        self.root = root
        self.file = file
        self.suite = suite
        self.client = client
    }

    /// The hostile IdP, not yet listening (also for `harness idp`, which serves it alone).
    public func hostileIdP() async throws -> MockIdentityProvider {
        let (profile, profileFile) = try file.hostileProfile(root: root)
        guard case .idp(let idp) = profile else { throw ScenarioError.invalid("\(profileFile.path) is not an identity provider profile (role: idp)") }
        guard (idp.kind == .saml) == (file.kind == .saml), [.saml, .oidc].contains(idp.kind) else {
            throw ScenarioError.invalid("\(profileFile.path): kind \(idp.kind.rawValue) cannot log in to a \(file.kind.rawValue) application")
        }
        let directory = profileFile.deletingLastPathComponent()
        return try await MockIdentityProvider(
            profile: idp, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: SystemWallClock(),
            random: SystemRandomSource())
    }

    /// Runs every case of the application's kind, in the suite's order; `progress` hears each.
    public func run(progress: @Sendable (AppCaseResult) -> Void = { _ in }) async throws -> [AppCaseResult] {
        let log = TrafficLog()
        let idp = try await hostileIdP()
        let names = Set(try idp.attackNames)
        for item in suite.cases where item.kind == file.kind.rawValue {
            if let attack = item.idp.attack, !names.contains(attack) {
                throw ScenarioError.invalid("\(item.id): no attack named '\(attack)' in the \(file.kind.rawValue) catalogue (mock-idp attacks lists them)")
            }
        }
        let idpServer = try await idp.start(host: file.host, port: file.port, tap: TrafficTap(receiver: "idp", log: log))
        var control: InProcessServer?
        do {
            control = try await startControlApplication()
        } catch {
            await idpServer.stop()
            throw error
        }
        var results = [AppCaseResult]()
        var wiringFailed: String?
        for item in suite.cases where item.kind == file.kind.rawValue {
            var result: AppCaseResult
            if let wiringFailed {
                result = AppCaseResult(id: item.id, title: item.title, verdict: .inconclusive, detail: wiringFailed)
            } else {
                result = await run(item, idp: idp, log: log)
                if item.expect == .signedIn, result.verdict != .signedIn {
                    wiringFailed = "the genuine login (\(item.id)) did not sign the person in: check the app file and the application's IdP configuration"
                }
            }
            progress(result)
            results.append(result)
        }
        await control?.stop()
        await idpServer.stop()
        return results
    }

    /// Our own mock SP or RP as the application (the control run), on `app.login`'s port.
    func startControlApplication() async throws -> InProcessServer? {
        guard let relative = file.app.inProcess else { return nil }
        let profileFile = file.path(relative)
        let directory = profileFile.deletingLastPathComponent()
        let profile = try PartyProfile.load(profileFile)
        let mock = try await ScenarioRunner.mock(
            profile, directory: directory, placeholders: Placeholders(values: ["server": file.idpURL], baseDirectory: directory),
            clock: SystemWallClock(), random: SystemRandomSource())
        guard let login = URLComponents(string: file.app.login), let host = login.host, let port = login.port else {
            throw ScenarioError.invalid("app.login needs an explicit host and port for an inProcess application")
        }
        return try await mock.start(host: host, port: port, tls: nil, tap: nil)
    }

    // MARK: one case

    func run(_ item: AppCase, idp: MockIdentityProvider, log: TrafficLog) async -> AppCaseResult {
        let started = ContinuousClock.now
        var result = AppCaseResult(id: item.id, title: item.title, verdict: .inconclusive)
        switch item.notApplicableWhen {
        case .always:
            result.verdict = .notApplicable
            result.detail = item.reason
            return result
        case .allowsUnsolicited where file.app.allowsUnsolicited == true:
            result.verdict = .notApplicable
            result.detail = "the application accepts IdP-initiated Responses by design (app.allowsUnsolicited)"
            return result
        default: break
        }
        let trace = RunTrace()
        let user = Self.user(for: item)
        do {
            try await drive(item, user: user, idp: idp, trace: trace, result: &result)
        } catch {
            result.verdict = .inconclusive
            result.detail = "\(error)"
        }
        // Disarmed whatever happened, so nothing leaks into the next case.
        idp.reset()
        result.trace = trace
        result.traffic = log.all.filter { $0.started >= started }
        result.seconds = ScenarioRunner.seconds(since: started)
        return result
    }

    /// The person a case logs in as: their own, so the signed-in check shows whose login
    /// landed (a replayed one, the attacker's wrapped NameID, a truncated one).
    static func user(for item: AppCase) -> IdPProfile.TestUser {
        let slug = item.id.replacingOccurrences(of: "/", with: "-")
        let id = "\(slug)@app.test"
        return IdPProfile.TestUser(username: slug, id: id, claims: .object([("email", .string(id)), ("mail", .string(id)), ("name", .string(slug))]))
    }

    func drive(_ item: AppCase, user: IdPProfile.TestUser, idp: MockIdentityProvider, trace: RunTrace, result: inout AppCaseResult) async throws {
        idp.add(user: user)
        var step = 0
        func begin(_ text: String) {
            step += 1
            trace.begin(step: step, text)
        }
        func login(_ browser: UserAgent) async throws -> Navigation {
            begin("start a login at the application (\(file.app.login))")
            return try await browser.navigate("GET", file.app.login)
        }
        // The replay flows begin with a genuine login whose Response, ID token or
        // callback the hostile step reuses.
        var callback: String?
        if item.flow != .login {
            let first = UserAgent(client: client, clock: SystemWallClock(), trace: trace)
            try idp.arm(autoLogin: user.username)
            // The first login's code must stay redeemable for its callback to be worth
            // replaying: else the IdP, not the application, would refuse it.
            if item.flow == .callbackReplay { idp.arm(faults: [.reusableCodes]) }
            let navigation = try await login(first)
            callback = navigation.hops.first { hop in file.isEndpoint(hop.url) && hop.method == "GET" }?.url
            begin("is the first browser signed in? (the genuine login the attack reuses)")
            guard try await signedIn(first)?.who == user.id else {
                result.detail = "the genuine first login of the replay did not sign in"
                return
            }
        }
        let observed = idp.observationMark
        let browser = UserAgent(client: client, clock: SystemWallClock(), trace: trace)
        idp.arm(faults: item.idp.faults)
        try idp.arm(attack: item.idp.attack)
        var armed = (item.idp.faults.map(\.rawValue) + [item.idp.attack].compactMap { $0 }).joined(separator: ", ")
        if armed.isEmpty { armed = "nothing: genuine" }
        result.armed = armed
        trace.begin(step: step + 1, "arm the IdP: \(armed)")
        step += 1
        var reachedEndpoint: Int?
        switch item.flow {
        case .login, .replay:
            try idp.arm(autoLogin: user.username)
            let navigation = try await login(browser)
            reachedEndpoint = navigation.hops.last { hop in file.isEndpoint(hop.url) }?.status
        case .callbackReplay:
            guard let callback else {
                result.detail = "the genuine login never reached a redirect URI"
                return
            }
            try idp.arm(autoLogin: nil)
            _ = try await login(browser)  // the application's state cookie for this browser; the IdP shows its page
            begin("send this browser the first login's callback (its code and state)")
            reachedEndpoint = try await browser.navigate("GET", callback).hops.first?.status
        }
        try idp.arm(autoLogin: nil)
        idp.arm(faults: [])
        try idp.arm(attack: nil)
        if let reachedEndpoint { result.evidence[file.kind == .saml ? "acs" : "callback"] = reachedEndpoint }
        begin("is the person signed in? (GET \(file.app.signedIn.url), no redirect followed)")
        let check = try await signedIn(browser)
        result.evidence["signedIn"] = check?.status ?? result.evidence["signedIn"]
        let delivered = reachedEndpoint != nil && delivered(item, observations: idp.observations(since: observed))
        result.verdict = Self.verdict(item, user: user, who: check?.who, delivered: delivered)
        result.signedInAs = check?.who
        if result.verdict == .inconclusive {
            result.detail = item.expect == .signedIn
                ? "the genuine login did not sign the person in (the protected page answered \(check?.status ?? 0)\(check?.who.map { " naming '\($0)'" } ?? ""))"
                : "the hostile message never reached the application (no \(file.kind == .saml ? "Response posted to an ACS URL" : "token answered or callback") in this case)"
        }
    }

    /// The oracle: whom the application says is signed in, or nil. `status` is the
    /// protected page's answer (kept as evidence).
    func signedIn(_ browser: UserAgent) async throws -> (who: String?, status: Int)? {
        let (hop, body) = try await browser.fetch(file.app.signedIn.url)
        guard hop.status == (file.app.signedIn.status ?? 200),
            let expression = try? NSRegularExpression(pattern: file.app.signedIn.user),
            let match = expression.firstMatch(in: body, range: NSRange(body.startIndex..., in: body))
        else { return (nil, hop.status) }
        let who = match.numberOfRanges > 1 ? Range(match.range(at: 1), in: body).map { String(body[$0]) } ?? "" : ""
        return (who, hop.status)
    }

    /// Whether the IdP really served the hostile message in this case.
    func delivered(_ item: AppCase, observations: [IdPObservation]) -> Bool {
        switch file.kind {
        case .saml:
            return observations.contains { $0.action == "login" && ($0.outcome?.hasPrefix("user:") == true || ["replayed", "error-response"].contains($0.outcome)) }
        case .oidc:
            // Front-channel cases are delivered with the callback, unless the IdP itself
            // refused a code the application presented; ID-token cases only when the
            // application was given the token.
            let tokens = observations.filter { $0.action == "token" }
            if item.flow == .callbackReplay || !Set(item.idp.faults).isDisjoint(with: [.wrongState, .errorResponse]) {
                return tokens.allSatisfy { $0.status == 200 }
            }
            return tokens.contains { $0.status == 200 }
        }
    }

    static func verdict(_ item: AppCase, user: IdPProfile.TestUser, who: String?, delivered: Bool) -> AppVerdict {
        guard let who else {
            return item.expect == .signedIn || !delivered ? .inconclusive : .refused
        }
        if item.expect == .signedIn { return who == user.id ? .signedIn : .inconclusive }
        switch item.safe {
        case .signedInAsSigned where who == user.id + ".evil.example": return .acceptedSafely
        case .signedIn where who == user.id: return .acceptedSafely
        default: return .acceptedWrongly
        }
    }
}
