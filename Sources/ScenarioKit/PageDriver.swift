import IdentityCore
import StrictYAML

/// How the harness recognises a server's pages. The reference server marks each page
/// (`<meta name="ih-page" content="login">`, `data-observe` texts, its error codes);
/// another server does not, so its target file describes its pages (`pages:`), first
/// matching rule wins:
///
/// ```yaml
/// pages:
///   - kind: login
///     when: {field: password}                     # a form with a field of that name
///     usernameField: username                     # what `login` fills (these are the defaults)
///     passwordField: password
///   - kind: consent
///     when: {title: ["Consent about releasing personal information"]}
///     allow: {yes: ""}                           # what `consent: allow` submits
///     deny: {no: ""}
///     claimField: "consent.{claim}"               # a claim's field (`withhold:`, `provide:`)
///   - kind: error
///     when: {status: [400, 403, 405]}
///   - kind: error
///     when: {title: ["Metadata not found", "Unhandled exception"]}   # error pages sent as 200
/// ```
///
/// Under rules, a page's kind comes from them and the reference server's own markers
/// (`error:` codes, `observed:` texts) are not expected of it; the harness's own parties'
/// pages (the mock SP's result page) keep their markers either way. A page no rule
/// recognises has no kind: an `expect: {page: …}` on it fails, and the report shows it.
public struct PageDriver: Sendable {
    public struct Rule: Decodable, Sendable {
        public var kind: String
        public var when: Condition
        /// The fields (a pressed button among them) that allow, or deny, on this page.
        public var allow: [String: String]?
        public var deny: [String: String]?
        /// The name of a claim's field, `{claim}` standing for the claim's URI.
        public var claimField: String?
        /// On a login page: the names of its username and password fields (default
        /// `username` and `password`).
        public var usernameField: String?
        public var passwordField: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case kind, when, allow, deny, claimField, usernameField, passwordField }
    }

    /// Every given test must hold; a list holds when any of its entries does.
    public struct Condition: Decodable, Sendable {
        /// The page's `<title>` is one of these.
        public var title: [String]?
        /// The page's HTML contains one of these texts.
        public var text: [String]?
        /// One of its forms has a field (input or named button) of this name.
        public var field: String?
        /// The HTTP status is one of these.
        public var status: [Int]?
        /// The page's URL contains this.
        public var url: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case title, text, field, status, url }

        func holds(for navigation: Navigation) -> Bool {
            if let title, !title.contains(navigation.page.title) { return false }
            if let text, !text.contains(where: { navigation.body.contains($0) }) { return false }
            if let field, !navigation.page.forms.contains(where: { $0.fields.contains { $0.name == field } }) { return false }
            if let status, !status.contains(navigation.status) { return false }
            if let url, !navigation.url.contains(url) { return false }
            return true
        }
    }

    /// nil: the reference server's markers.
    public let rules: [Rule]?

    public init(rules: [Rule]?) {
        self.rules = rules
    }

    public static let reference = PageDriver(rules: nil)

    /// Whether the server's own page markers (`error.code`, `data-observe`) count on this
    /// page: always for the harness's parties and under the reference driver.
    func readsMarkers(of navigation: Navigation, partyURLs: [String]) -> Bool {
        rules == nil || Self.isParty(navigation.url, partyURLs)
    }

    /// The navigation with its page's kind as this driver reads it.
    func recognise(_ navigation: Navigation, partyURLs: [String]) -> Navigation {
        guard let rules, !Self.isParty(navigation.url, partyURLs) else { return navigation }
        var recognised = navigation
        recognised.page.kind = rules.first { $0.when.holds(for: navigation) }?.kind
        return recognised
    }

    /// The fields to submit on the current page for `intent`: the reference server's
    /// names, or what the target's rule for that page says.
    func fields(for intent: PageIntent, on navigation: Navigation) throws -> [String: String] {
        guard navigation.page.kind == intent.pageKind else {
            throw ScenarioError.expectation(
                "to \(intent.description) the browser must be on the \(intent.pageKind) page, but it is on \(navigation.page.kind.map { "the \($0) page" } ?? "a page no rule recognises") (\(navigation.url))")
        }
        guard rules != nil else { return Self.referenceFields(for: intent) }
        guard let rule = rule(intent.pageKind, on: navigation) else {
            throw ScenarioError.expectation("no page rule of the target recognises this \(intent.pageKind) page")
        }
        func answer(_ allow: Bool) throws -> [String: String] {
            guard let fields = allow ? rule.allow : rule.deny else {
                throw ScenarioError.invalid("the target's \(intent.pageKind) page rule does not say how to \(allow ? "allow" : "deny") (add \(allow ? "allow" : "deny"): {field: value})")
            }
            return fields
        }
        func claimField(_ claim: String) throws -> String {
            guard let template = rule.claimField else {
                throw ScenarioError.invalid("the target's \(intent.pageKind) page rule does not name a claim's field (add claimField: \"…{claim}…\")")
            }
            return template.replacingOccurrences(of: "{claim}", with: LocalClaims.uri(claim))
        }
        switch intent {
        case .consent(let allow, let withhold):
            var fields = try answer(allow)
            for claim in withhold { fields[try claimField(claim)] = "off" }
            return fields
        case .provide(let claims):
            return Dictionary(try claims.map { (try claimField($0.0), $0.1) }, uniquingKeysWith: { $1 })
        case .provision(let allow, let given):
            return try answer(allow).merging(given, uniquingKeysWith: { $1 })
        }
    }

    /// The fields a `login` step fills on this page: the login rule's names, or
    /// `username` and `password` (the reference server's, and most servers').
    func loginFields(username: String, password: String, on navigation: Navigation) -> [String: String] {
        let rule = rule("login", on: navigation)
        return [rule?.usernameField ?? "username": username, rule?.passwordField ?? "password": password]
    }

    /// The first rule for pages of `kind` that holds for this page.
    private func rule(_ kind: String, on navigation: Navigation) -> Rule? {
        rules?.first { $0.kind == kind && $0.when.holds(for: navigation) }
    }

    /// The reference server's pages: `decision` buttons (approve, deny), a consent
    /// checkbox `consent.<claim URI>` per claim, a mandatory claim's field named by its
    /// URI, and the provisioning prompt's `username`, `password` and `confirmation`.
    static func referenceFields(for intent: PageIntent) -> [String: String] {
        switch intent {
        case .consent(let allow, let withhold):
            var fields = ["decision": allow ? "approve" : "deny"]
            for claim in withhold { fields["consent." + LocalClaims.uri(claim)] = "off" }
            return fields
        case .provide(let claims):
            return Dictionary(claims.map { (LocalClaims.uri($0.0), $0.1) }, uniquingKeysWith: { $1 })
        case .provision(let allow, let given):
            var fields = Dictionary(given, uniquingKeysWith: { $1 })
            if fields["confirmation"] == nil, let password = fields["password"] { fields["confirmation"] = password }
            fields["decision"] = allow ? "approve" : "deny"
            return fields
        }
    }

    private static func isParty(_ url: String, _ partyURLs: [String]) -> Bool {
        partyURLs.contains { url.hasPrefix($0 + "/") || url == $0 }
    }
}
