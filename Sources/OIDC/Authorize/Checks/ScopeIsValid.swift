/// Scopes are kept in request order, without repeats; scopes the server does not know
/// (and management scopes the client is not allowed) are dropped (RFC 6749 §3.3 lets the server narrow the request). An ID token needs
/// `openid`.
struct ScopeIsValid: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        let requested = (draft.request["scope"] ?? "").split(separator: " ").map(String.init)
        // The claim scopes, and the management scopes (scim:me) this client may have.
        let scopes = draft.settings?.grantable(requested, known: draft.knownScopes, person: true)
            ?? requested.reduce(into: [String]()) { kept, scope in
                if draft.knownScopes.contains(scope) && !kept.contains(scope) { kept.append(scope) }
            }
        if draft.responseTypes.contains("id_token") && !scopes.contains("openid") {
            throw OAuthError(.oauthInvalidScope, field: "scope", value: draft.request["scope"], detail: "an ID token needs the openid scope")
        }
        draft.scopes = scopes
    }
}
