/// Scopes of the server's own management APIs (not claim scopes: they release no claims,
/// and only clients that list them in `managementScopes` are granted them).
public enum ManagementScope: String, CaseIterable, Sendable {
    /// Read users and groups over SCIM (an operator's application, client_credentials).
    case scimRead = "scim:read"
    /// Create, change and delete them too.
    case scimWrite = "scim:write"
    /// A person's own account at `/scim2/Me` (a token for that person).
    case scimMe = "scim:me"

    /// `scim:me` names a person; the others an application acting for itself.
    public var needsPerson: Bool { self == .scimMe }
}
