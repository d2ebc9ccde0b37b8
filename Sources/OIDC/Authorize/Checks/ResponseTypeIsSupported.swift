/// `response_type` is one of the registered combinations; the response mode follows
/// (query for `code`, fragment when tokens come from this endpoint) unless a permitted
/// `response_mode` says otherwise: `form_post` (OAuth 2.0 Form Post Response Mode) for
/// every type, since the values travel in a POST body; `query` only for `code`.
struct ResponseTypeIsSupported: AuthorizeCheck {
    let redirectIsTrusted = true

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        guard let value = draft.request["response_type"] else {
            throw OAuthError(.oauthInvalidRequest, field: "response_type", detail: "response_type is required")
        }
        let types = value.split(separator: " ").map(String.init).sorted()
        guard DiscoveryDocument.responseTypes.contains(where: { $0.split(separator: " ").map(String.init).sorted() == types }) else {
            throw OAuthError(.oauthUnsupportedResponseType, field: "response_type", value: value, detail: "unsupported response_type")
        }
        draft.responseTypes = types
        let defaultMode = types == ["code"] ? "query" : "fragment"
        let mode = draft.request["response_mode"] ?? defaultMode
        // Tokens never travel in a query string (OAuth 2.0 Multiple Response Types §2.1).
        guard mode == "fragment" || mode == "form_post" || (mode == "query" && types == ["code"]) else {
            throw OAuthError(.oauthInvalidRequest, field: "response_mode", value: mode, detail: "response_mode \(mode) is not allowed here")
        }
        draft.responseMode = mode
    }
}
