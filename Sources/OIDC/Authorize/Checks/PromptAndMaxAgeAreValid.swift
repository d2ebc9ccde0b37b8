/// `prompt` values are known and `none` stands alone; `max_age` is a non-negative integer.
struct PromptAndMaxAgeAreValid: AuthorizeCheck {
    let redirectIsTrusted = true
    static let known: Set<String> = ["none", "login", "consent", "select_account"]

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        let prompt = (draft.request["prompt"] ?? "").split(separator: " ").map(String.init)
        if let unknown = prompt.first(where: { !Self.known.contains($0) }) {
            throw OAuthError(.oauthInvalidRequest, field: "prompt", value: unknown, detail: "unknown prompt value")
        }
        if prompt.contains("none") && prompt.count > 1 {
            throw OAuthError(.oauthInvalidRequest, field: "prompt", detail: "prompt=none cannot be combined with other values")
        }
        draft.prompt = prompt
        if let text = draft.request["max_age"] {
            guard let seconds = Int(text), seconds >= 0 else {
                throw OAuthError(.oauthInvalidRequest, field: "max_age", value: text, detail: "max_age must be a non-negative integer")
            }
            draft.maxAge = seconds
        }
    }
}
