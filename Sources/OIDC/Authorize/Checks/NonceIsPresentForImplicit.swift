/// OIDC Core §3.2.2.1: a nonce is required when the ID token comes from this endpoint.
struct NonceIsPresentForImplicit: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        if draft.responseTypes.contains("id_token") && draft.request["nonce"] == nil {
            throw OAuthError(.oauthInvalidRequest, field: "nonce", detail: "nonce is required when the ID token is returned from the authorization endpoint")
        }
    }
}
