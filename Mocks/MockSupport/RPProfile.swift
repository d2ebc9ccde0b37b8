public import Foundation
import IdentityCore
public import StrictYAML

/// A mock OpenID Connect relying party's profile (`Mocks/sps/<name>.yaml` with
/// `kind: oidc`): its client credentials, how it authenticates at the token endpoint,
/// which issuer it trusts, and — in `registration` — the record the identity server needs.
public struct RPProfile: Decodable, Sendable {
    public var kind: String
    public var clientID: String
    public var clientSecret: String?
    /// `client_secret_basic`, `client_secret_post`, `private_key_jwt` or `none`.
    public var tokenEndpointAuthMethod: String
    /// Key and certificate for `private_key_jwt` (PEM files, relative to the profile).
    public var signing: SPProfile.KeyPairFiles?
    /// The issuer; `{server}` is the identity server.
    public var issuer: String
    /// Scope asked for when a login names none.
    public var scope: String
    public var clockSkewSeconds: Int
    public var registration: ConfigValue?
    /// Keep a browser session after an accepted login and answer `GET /whoami` (the
    /// control application of `harness run --app`; see ``MockSessions``).
    public var sessions: Bool
    /// How it answers a back-channel logout it accepted: `ok` (200) or `error` (500, as an
    /// RP that could not end its session would), to see the OP report it.
    public var backchannelAnswer: BackchannelAnswer

    /// `slow` answers only after ``MockIdentityProvider/stallSeconds``: longer than any
    /// sensible provider timeout, an RP that never confirms.
    public enum BackchannelAnswer: String, Decodable, Sendable { case ok, error, slow }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, clientID, clientSecret, tokenEndpointAuthMethod, signing, issuer, scope, clockSkewSeconds, registration, sessions,
            backchannelAnswer
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        clientID = try c.decode(String.self, forKey: .clientID)
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        tokenEndpointAuthMethod = try c.decodeIfPresent(String.self, forKey: .tokenEndpointAuthMethod)
            ?? (clientSecret == nil ? "none" : "client_secret_basic")
        signing = try c.decodeIfPresent(SPProfile.KeyPairFiles.self, forKey: .signing)
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer) ?? "{server}"
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? "openid"
        clockSkewSeconds = try c.decodeIfPresent(Int.self, forKey: .clockSkewSeconds) ?? 60
        registration = try c.decodeIfPresent(ConfigValue.self, forKey: .registration)
        sessions = try c.decodeIfPresent(Bool.self, forKey: .sessions) ?? false
        backchannelAnswer = try c.decodeIfPresent(BackchannelAnswer.self, forKey: .backchannelAnswer) ?? .ok
    }
}

/// A mock party's profile: its kind decides which mock serves it.
public enum PartyProfile: Sendable {
    case saml(SPProfile)
    case oidc(RPProfile)
    /// A mock identity provider (`role: idp`), of any kind.
    case idp(IdPProfile)
    /// A mock SCIM service (`kind: scim`), registered as an identity provider of kind `scim`:
    /// an outbound provisioning target.
    case scim(SCIMServiceProfile)

    public var registration: ConfigValue? {
        switch self {
        case .saml(let p): p.registration
        case .oidc(let p): p.registration
        case .idp(let p): p.registration
        case .scim(let p): p.registration
        }
    }

    /// Identity providers (and provisioning targets, which are IdP records too) register at
    /// the server before the service providers whose sequences and provisioning name them.
    public var isIdentityProvider: Bool {
        switch self {
        case .idp, .scim: true
        case .saml, .oidc: false
        }
    }

    /// Reads a profile file, merging `overrides` into it first.
    public static func load(_ file: URL, overrides: ConfigValue? = nil) throws -> PartyProfile {
        try load(text: String(contentsOf: file, encoding: .utf8), file: file, overrides: overrides)
    }

    /// Reads a profile's text (YAML, or JSON, which is YAML too); `file` names it in errors.
    public static func load(text: String, file: URL, overrides: ConfigValue? = nil) throws -> PartyProfile {
        var value = ConfigValue(node: try StrictYAML.node(from: text, file: file.path))
        if let overrides { value = value.merging(overrides) }
        if value["role"]?.stringValue == "idp" { return .idp(try IdPProfile.load(value, file: file)) }
        switch value["kind"]?.stringValue {
        case "scim": return .scim(try SCIMServiceProfile.load(value, file: file))
        case "saml": return .saml(try SPProfile.load(value, file: file))
        case "oidc":
            return .oidc(try StrictYAML.decode(RPProfile.self, from: value.node, file: file.path) { profile in
                let methods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
                guard methods.contains(profile.tokenEndpointAuthMethod) else {
                    throw MockError(.mockProfileInvalid, field: "tokenEndpointAuthMethod", value: profile.tokenEndpointAuthMethod, detail: "unknown method")
                }
            })
        default:
            throw MockError(.mockProfileInvalid, field: "kind", value: value["kind"]?.stringValue, detail: "a mock service provider's kind is saml or oidc, a mock SCIM service's scim (identity providers say role: idp)")
        }
    }
}
