/// Scopes are kept in request order, without repeats; scopes the server does not know
/// are dropped (RFC 6749 §3.3 lets the server narrow the request). An ID token needs
/// `openid`.
struct ScopeIsValid: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        var scopes = [String]()
        for scope in (draft.request["scope"] ?? "").split(separator: " ").map(String.init)
        where draft.knownScopes.contains(scope) && !scopes.contains(scope) {
            scopes.append(scope)
        }
        if draft.responseTypes.contains("id_token") && !scopes.contains("openid") {
            throw OAuthError(.oauthInvalidScope, field: "scope", value: draft.request["scope"], detail: "an ID token needs the openid scope")
        }
        draft.scopes = scopes
    }
}
