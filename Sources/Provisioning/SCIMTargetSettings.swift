import Foundation
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
    /// echoes the redacted record keeps them) — only for the same URL: a secret is never
    /// sent to a host it was not given for, so a new URL needs it again. Only the secret
    /// the authentication uses is kept.
    public func keepingSecrets(of stored: SCIMTargetSettings?) -> SCIMTargetSettings {
        var copy = self
        let same = stored?.url == url
        if [nil, Self.redactedSecret].contains(copy.password) { copy.password = same ? stored?.password : nil }
        if [nil, Self.redactedSecret].contains(copy.token) { copy.token = same ? stored?.token : nil }
        if authentication != .basic, password == nil || password == Self.redactedSecret { copy.password = nil }
        if authentication != .bearer, token == nil || token == Self.redactedSecret { copy.token = nil }
        return copy
    }

    /// Refusals name the field (`idp.invalid_settings`).
    public func problems() -> [(field: String, detail: String)] {
        var problems = [(field: String, detail: String)]()
        let parts = URLComponents(string: url)
        let scheme = parts?.scheme?.lowercased()
        if parts?.host?.isEmpty != false || !["https", "http"].contains(scheme) || parts?.query != nil || parts?.fragment != nil {
            problems.append(("scim.url", "an https base URL without query or fragment"))
        } else if scheme == "http", authentication != .none, !Self.isLoopback(parts?.host ?? "") {
            // Credentials in clear text only to this machine (a mock on the laptop, a test).
            problems.append(("scim.url", "credentials are sent over https only (http is allowed to a loopback address)"))
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

extension SCIMTargetSettings {
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") && bare.split(separator: ".").count == 4
    }
}

extension IdentityProvider {
    /// The IdP's SCIM provisioning connector, if it has one.
    public var scim: SCIMTargetSettings? {
        get { self[section: SCIMTargetSettings.self] }
        set { self[section: SCIMTargetSettings.self] = newValue }
    }
}
