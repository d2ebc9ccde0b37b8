/// OA-2: `code` needs the authorization_code grant, tokens from this endpoint need implicit.
struct GrantTypeIsAllowed: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        let allowed = Set(draft.settings?.grantTypes ?? [])
        if draft.responseTypes.contains("code") && !allowed.contains(.authorizationCode) {
            throw OAuthError(.oauthUnauthorizedClient, field: "response_type", detail: "this client may not use the authorization code grant")
        }
        if draft.responseTypes.contains(where: { $0 != "code" }) && !allowed.contains(.implicit) {
            throw OAuthError(.oauthUnauthorizedClient, field: "response_type", detail: "this client may not receive tokens from the authorization endpoint")
        }
    }
}
