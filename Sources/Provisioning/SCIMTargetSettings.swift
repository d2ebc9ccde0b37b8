public import IdentityCore

/// An identity provider's outbound provisioning connector (PR-2): the `scim:` section of
/// an IdP record, as WSO2 configures a SCIM connector on an identity provider. The IdP
/// may be one people log in with, or kind `scim` — a provisioning target only.
public struct SCIMTargetSettings: IdentityProviderSection {
    public static let key = "scim"
    /// The SCIM service's base URL (`https://crm.example.com/scim/v2`): its `/Users` and
    /// `/Groups` endpoints are under it.
    public var url: String
    public var authentication: Authentication
    public var username: String?
    /// Basic password or bearer token. Kept as given (the server must present it); never
    /// shown by the admin API.
    public var password: String?
    public var token: String?
    /// Roles become membership of the target's Groups of the same `displayName` (RFC 7643
    /// §4.2); off for a service that has no Groups endpoint.
    public var groups: Bool

    public enum Authentication: String, Codable, Hashable, Sendable, CaseIterable, ConfigurationEnum {
        case basic, bearer, none
    }

    public static let redactedSecret = "********"

    public init(
        url: String, authentication: Authentication = .none, username: String? = nil, password: String? = nil, token: String? = nil,
        groups: Bool = true
    ) {
        self.url = url
        self.authentication = authentication
        self.username = username
        self.password = password
        self.token = token
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case url, authentication, username, password, token, groups }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        authentication = try c.decodeIfPresent(Authentication.self, forKey: .authentication) ?? .none
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        groups = try c.decodeIfPresent(Bool.self, forKey: .groups) ?? true
    }

    /// The password and token are never shown.
    public var redacted: SCIMTargetSettings {
        var copy = self
        if copy.password != nil { copy.password = Self.redactedSecret }
        if copy.token != nil { copy.token = Self.redactedSecret }
        return copy
    }

    /// The stored secrets in place of absent or redacted ones (an admin API replace that
    /// echoes the redacted record keeps them).
    public func keepingSecrets(of stored: SCIMTargetSettings?) -> SCIMTargetSettings {
        var copy = self
        if [nil, Self.redactedSecret].contains(copy.password) { copy.password = stored?.password }
        if [nil, Self.redactedSecret].contains(copy.token) { copy.token = stored?.token }
        return copy
    }

    /// Refusals name the field (`idp.invalid_settings`).
    public func problems() -> [(field: String, detail: String)] {
        var problems = [(field: String, detail: String)]()
        let lowered = url.lowercased()
        if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) || url.contains("?") || url.contains("#") {
            problems.append(("scim.url", "an http(s) base URL without query or fragment"))
        }
        switch authentication {
        case .basic:
            if (username ?? "").isEmpty || (password ?? "").isEmpty { problems.append(("scim.password", "basic authentication needs a username and a password")) }
        case .bearer:
            if (token ?? "").isEmpty { problems.append(("scim.token", "bearer authentication needs a token")) }
        case .none:
            if password != nil || token != nil { problems.append(("scim.authentication", "a password or token is given but authentication is none")) }
        }
        return problems
    }
}

extension IdentityProvider {
    /// The IdP's SCIM provisioning connector, if it has one.
    public var scim: SCIMTargetSettings? {
        get { self[section: SCIMTargetSettings.self] }
        set { self[section: SCIMTargetSettings.self] = newValue }
    }
}
