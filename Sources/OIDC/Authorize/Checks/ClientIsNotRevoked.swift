/// OA-6: a revoked application gets no new authorization until its secret is regenerated.
struct ClientIsNotRevoked: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        if draft.settings?.revoked == true {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this application has been revoked")
        }
    }
}
