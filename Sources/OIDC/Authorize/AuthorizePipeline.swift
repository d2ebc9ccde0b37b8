public import IdentityCore

/// The authorize endpoint's checks, in order. Each is one small rule in its own file; the
/// order is the contract: nothing is redirected before the client and its redirect URI are
/// established (OA-1).
public struct AuthorizePipeline: Sendable {
    public static let checks: [any AuthorizeCheck] = [
        ParametersAreBounded(),
        ClientIsKnown(),
        RedirectURIIsRegistered(),
        ClientIsNotRevoked(),
        ResponseTypeIsSupported(),
        GrantTypeIsAllowed(),
        ScopeIsValid(),
        NonceIsPresentForImplicit(),
        PKCEIsValid(),
        PromptAndMaxAgeAreValid(),
    ]

    public init() {}

    /// Runs every check against the request and the client it names (nil if unknown).
    public func run(
        _ request: AuthorizationRequest, client: ServiceProvider?, knownScopes: Set<String>
    ) throws(AuthorizeFailure) -> ValidatedAuthorization {
        var draft = AuthorizationDraft(request: request, client: client, knownScopes: knownScopes)
        for check in Self.checks {
            do {
                try check.check(&draft)
            } catch {
                guard check.redirectIsTrusted, let redirectURI = draft.redirectURI else { throw .page(error) }
                throw .redirect(error, to: redirectURI, state: request["state"], mode: draft.responseMode)
            }
        }
        // Every check passed, so the client and redirect URI are set.
        return ValidatedAuthorization(
            serviceProvider: draft.client!.name, clientID: draft.settings!.clientID, redirectURI: draft.redirectURI!,
            redirectURIGiven: request["redirect_uri"] != nil,
            responseTypes: draft.responseTypes, responseMode: draft.responseMode, scopes: draft.scopes, state: request["state"],
            nonce: request["nonce"], codeChallenge: draft.codeChallenge?.challenge, codeChallengeMethod: draft.codeChallenge?.method,
            prompt: draft.prompt, maxAge: draft.maxAge)
    }
}
