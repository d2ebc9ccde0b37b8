public import Foundation
public import MockSupport
import StrictYAML

/// One case of the app suite (`Vectors/apps/cases.yaml`): what the hostile IdP does, and
/// what a careful application must make of it. The kind (`saml`, `oidc`) is the id's
/// first segment; only the cases of the application's kind run.
public struct AppCase: Decodable, Sendable {
    public var id: String
    public var title: String
    /// `signed-in` for the genuine logins that prove the wiring; every other case must
    /// leave the person signed out.
    public var expect: Expectation
    public var flow: AppFlow
    public var idp: Arming
    /// An outcome besides refusal that is correct too.
    public var safe: SafeOutcome?
    /// When the case does not apply to an application.
    public var notApplicableWhen: Condition?
    /// Why not applicable, for ``Condition/always`` (what the hostile IdP cannot stage yet).
    public var reason: String?

    public enum Expectation: String, Decodable, Sendable { case signedIn = "signed-in", refused }

    public enum SafeOutcome: String, Decodable, Sendable {
        /// Comment injection: signing in as the whole signed NameID is right (the text
        /// before the comment would be the attacker's pick).
        case signedInAsSigned = "signed-in-as-signed"
        /// Signing in as the case's own person is right (an ID token without `kid` from
        /// an issuer with one key: OIDC Core §10.1 allows it).
        case signedIn = "signed-in"
    }

    public enum Condition: String, Decodable, Sendable {
        /// The application accepts IdP-initiated Responses by design (`app.allowsUnsolicited`).
        case allowsUnsolicited
        case always
    }

    public struct Arming: Decodable, Sendable {
        public var faults: [IdPFault]
        public var attack: String?
        public init(faults: [IdPFault] = [], attack: String? = nil) {
            self.faults = faults
            self.attack = attack
        }
        enum CodingKeys: String, CodingKey, CaseIterable { case faults, attack }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            faults = try c.decodeIfPresent([IdPFault].self, forKey: .faults) ?? []
            attack = try c.decodeIfPresent(String.self, forKey: .attack)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, title, expect, flow, idp, safe, notApplicableWhen, reason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        expect = try c.decodeIfPresent(Expectation.self, forKey: .expect) ?? .refused
        flow = try c.decodeIfPresent(AppFlow.self, forKey: .flow) ?? .login
        idp = try c.decodeIfPresent(Arming.self, forKey: .idp) ?? Arming()
        safe = try c.decodeIfPresent(SafeOutcome.self, forKey: .safe)
        notApplicableWhen = try c.decodeIfPresent(Condition.self, forKey: .notApplicableWhen)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }

    public var kind: String { String(id.split(separator: "/").first ?? "") }
}

/// How a case drives the browser.
public enum AppFlow: String, Decodable, Sendable {
    /// Arm the IdP, start a login at the application, let it run to the end.
    case login
    /// A genuine login in one browser first; then, in a fresh browser, a login with the
    /// IdP armed (the `replay` fault sends the first login's Response or ID token).
    case replay
    /// A genuine login in one browser, its callback URL kept; a fresh browser starts a
    /// login of its own and is then sent that old callback (code and state) while the
    /// IdP redeems codes again: only the application's own state check stands between
    /// the replayed code and a session.
    case callbackReplay = "callback-replay"
}

/// The bundled app suite.
public struct AppSuite: Sendable {
    public let cases: [AppCase]

    struct Document: Decodable {
        let cases: [AppCase]
        enum CodingKeys: String, CodingKey, CaseIterable { case cases }
    }

    public init(cases: [AppCase]) {
        self.cases = cases
    }

    public static func load(_ url: URL, displayName: String) throws -> AppSuite {
        let document = try StrictYAML.decode(Document.self, from: String(contentsOf: url, encoding: .utf8), file: displayName)
        var seen = Set<String>()
        for item in document.cases {
            guard ["saml", "oidc"].contains(item.kind) else {
                throw ScenarioError.invalid("\(displayName): \(item.id): a case id starts with saml/ or oidc/")
            }
            guard seen.insert(item.id).inserted else { throw ScenarioError.invalid("\(displayName): \(item.id) is listed twice") }
            func invalid(_ text: String) -> ScenarioError { .invalid("\(displayName): \(item.id): \(text)") }
            if item.notApplicableWhen == .always {
                guard item.reason != nil else { throw invalid("notApplicableWhen: always needs a reason") }
                continue
            }
            let saml = item.kind == "saml"
            if let fault = item.idp.faults.first(where: { saml ? !$0.appliesToSAML : !$0.appliesToOAuth }) {
                throw invalid("the fault \(fault.rawValue) changes nothing in a \(item.kind) login")
            }
            let armed = !item.idp.faults.isEmpty || item.idp.attack != nil
            switch (item.expect, item.flow) {
            case (.signedIn, .login):
                guard !armed else { throw invalid("a genuine case (expect: signed-in) arms nothing at the IdP") }
            case (.signedIn, _):
                throw invalid("a genuine case (expect: signed-in) uses flow: login")
            case (.refused, .login):
                guard armed else { throw invalid("a hostile case arms the IdP (idp.faults or idp.attack); with nothing armed the login is genuine") }
            case (.refused, .replay):
                guard item.idp.faults.contains(.replay) else { throw invalid("flow: replay needs the replay fault (what the second login replays)") }
            case (.refused, .callbackReplay):
                guard !saml, item.idp.faults.contains(.reusableCodes) else {
                    throw invalid("flow: callback-replay is an OIDC flow and needs the reusable-codes fault (else the IdP, not the application, refuses the code)")
                }
            }
        }
        return AppSuite(cases: document.cases)
    }

    public static func bundled(root: URL) throws -> AppSuite {
        try load(root.appendingPathComponent("Vectors/apps/cases.yaml"), displayName: "Vectors/apps/cases.yaml")
    }
}
