/// OA-1: `redirect_uri` matches a registered callback (exactly, or a `regexp=` entry in
/// full). Without one the first registered exact URL is used, as OAuth allows for a single
/// registration; a mismatch is never redirected to.
struct RedirectURIIsRegistered: AuthorizeCheck {
    let redirectIsTrusted = false

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        let registered = draft.settings?.callbackURLs ?? []
        guard let uri = draft.request["redirect_uri"] else {
            let exact = registered.filter { !$0.hasPrefix(RedirectURIMatcher.regexpPrefix) }
            guard registered.count == 1, let only = exact.first else {
                throw OAuthError(.oauthRedirectURIMismatch, field: "redirect_uri", detail: "redirect_uri is required for this client")
            }
            draft.redirectURI = only
            return
        }
        guard RedirectURIMatcher.matches(uri, registered: registered) else {
            throw OAuthError(
                .oauthRedirectURIMismatch, field: "redirect_uri", value: uri, detail: "the redirect URI is not registered for this client")
        }
        draft.redirectURI = uri
    }
}
