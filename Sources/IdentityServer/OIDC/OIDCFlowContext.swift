import OIDC

/// What the OIDC inbound side keeps with a flow: the authorization request as the
/// authorize pipeline validated it (client, redirect URI, response type and mode, scopes,
/// state, nonce, PKCE challenge).
extension ValidatedAuthorization: InboundFlowContext {
    static var protocolName: String { "oidc" }
}
