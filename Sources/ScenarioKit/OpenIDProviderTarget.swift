import StrictYAML

/// Who the target's OpenID Provider is (`oidc:` in a target file): the issuer every mock
/// relying party of a run discovers and trusts, in place of its profile's `issuer` (which
/// names the reference server).
///
/// ```yaml
/// oidc:
///   issuer: "{server}/o"     # django-oauth-toolkit mounted under /o/
/// ```
///
/// Everything else — endpoints, keys, algorithms — the relying party reads from the
/// issuer's discovery document, as any relying party does.
public struct OpenIDProviderTarget: Decodable, Sendable {
    /// The issuer identifier (`{server}` is the front channel).
    public var issuer: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case issuer }

    public init(issuer: String?) {
        self.issuer = issuer
    }

    /// The reference server: its issuer is its base URL, as the profiles already say.
    public static let reference = OpenIDProviderTarget(issuer: nil)

    /// The issuer as a step placeholder may use it (`{server.issuer}`), before `{server}` is filled.
    var issuerTemplate: String { issuer ?? "{server}" }

    /// What replaces a mock RP profile's `issuer`; nil when the profile's own stands.
    var profileOverrides: ConfigValue? {
        issuer.map { .object([("issuer", .string($0))]) }
    }
}
