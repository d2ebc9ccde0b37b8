/// No parameter longer than `AuthorizationRequest.maximumParameterLength`, no parameter
/// given twice (RFC 6749 §3.1: "parameters MUST NOT be included more than once").
struct ParametersAreBounded: AuthorizeCheck {
    let redirectIsTrusted = false

    func check(_ draft: inout AuthorizationDraft) throws(OAuthError) {
        if let name = draft.request.repeated.sorted().first {
            throw OAuthError(.oauthInvalidRequest, field: name, detail: "\(name) is given more than once")
        }
        for (name, value) in draft.request.parameters.sorted(by: { $0.key < $1.key })
        where value.utf8.count > AuthorizationRequest.maximumParameterLength {
            throw OAuthError(
                .oauthInvalidRequest, field: name, detail: "\(name) is longer than \(AuthorizationRequest.maximumParameterLength) bytes")
        }
    }
}
