/// OA-3: PKCE as the client's settings require (see `PKCE`).
struct PKCEIsValid: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        guard draft.responseTypes.contains("code"), let settings = draft.settings else { return }
        draft.codeChallenge = try PKCE.challenge(
            draft.request["code_challenge"], method: draft.request["code_challenge_method"], settings: settings)
    }
}
