/// AU-1, AU-2, AU-4: how people prove who they are to one service provider — an ordered
/// list of steps, each passed with any one of its options.
public struct AuthenticationSequence: Codable, Hashable, Sendable {
    public var steps: [Step]
    /// AU-4: credentials sent with the initial request (HTTP Basic) log the person in
    /// without the login page.
    public var requestPathAuthentication: Bool

    /// One step: any one option suffices; which one is the person's choice.
    public struct Step: Codable, Hashable, Sendable {
        /// `basic` (username and password), `totp` (MF-1), or an identity provider's name.
        public var options: [String]
        /// AU-2: the subject identifier comes from this step.
        public var subject: Bool
        /// AU-2: the claims come from this step.
        public var attributes: Bool

        public init(options: [String], subject: Bool = false, attributes: Bool = false) {
            self.options = options
            self.subject = subject
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case options, subject, attributes }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            options = try c.decode([String].self, forKey: .options)
            subject = try c.decodeIfPresent(Bool.self, forKey: .subject) ?? false
            attributes = try c.decodeIfPresent(Bool.self, forKey: .attributes) ?? false
        }
    }

    /// The local authenticators; every other option names an identity provider.
    public static let basic = "basic"
    public static let totp = "totp"
    public static let localOptions: Set<String> = [basic, totp]

    /// AU-3: one step, username and password.
    public static let `default` = AuthenticationSequence(steps: [Step(options: [basic], subject: true, attributes: true)])

    public init(steps: [Step], requestPathAuthentication: Bool = false) {
        self.steps = steps
        self.requestPathAuthentication = requestPathAuthentication
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case steps, requestPathAuthentication }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var steps = try c.decode([Step].self, forKey: .steps)
        // A one-step sequence needs no marks: its only step is both.
        if steps.count == 1, !steps[0].subject, !steps[0].attributes {
            steps[0].subject = true
            steps[0].attributes = true
        }
        self.steps = steps
        requestPathAuthentication = try c.decodeIfPresent(Bool.self, forKey: .requestPathAuthentication) ?? false
    }

    /// The step whose authenticated user is the subject (AU-2).
    public var subjectStep: Int { steps.firstIndex(where: \.subject) ?? 0 }
    /// The step whose claims are released (AU-2).
    public var attributesStep: Int { steps.firstIndex(where: \.attributes) ?? 0 }
    /// Every identity provider the sequence names.
    public var identityProviders: Set<String> { Set(steps.flatMap(\.options).filter { !Self.localOptions.contains($0) }) }
}
