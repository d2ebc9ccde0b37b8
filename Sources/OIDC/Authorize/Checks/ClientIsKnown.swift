/// `client_id` names a registered OAuth client.
struct ClientIsKnown: AuthorizeCheck {
    let redirectIsTrusted = false

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        guard let clientID = draft.request["client_id"] else {
            throw OAuthError(.oauthUnknownClient, field: "client_id", detail: "the request names no client")
        }
        guard draft.settings != nil else {
            throw OAuthError(.oauthUnknownClient, field: "client_id", value: clientID, detail: "no application has this client_id")
        }
    }
}
