public import IdentityCore

/// The two kinds of bearer assertion a client may trade for tokens.
public enum BearerAssertionKind: String, Sendable {
    /// RFC 7523 §2.1: a JWT, in the `assertion` parameter as it is.
    case jwt = "jwt-bearer"
    /// RFC 7522 §2.1: a SAML 2.0 Assertion, base64url-encoded.
    case saml2 = "saml2-bearer"
}

/// Whom a verified assertion names here: their account, or — when the identity provider's
/// person has none and the provider provisions nobody — a transient user carried with
/// the tokens, as a federated browser login would have.
public struct AssertedSubject: Sendable {
    public var user: User
    public var isTransient: Bool

    public init(user: User, isTransient: Bool) {
        self.user = user
        self.isTransient = isTransient
    }
}

/// The JWT bearer and SAML 2.0 bearer authorization grants (RFC 7523 §2.1, RFC 7522 §2.1):
/// a client presents an assertion a trusted identity provider issued about a person and
/// gets tokens for that person, with no browser. The client authenticates as for any
/// grant and must be allowed the grant (OA-2); the assertion is verified by the context
/// (whose keys, which audience, once only). Tokens: an access token, and an ID token when
/// `openid` is asked for; no refresh token — the client holds the means to get a new
/// assertion, and a refresh token would outlive the assertion's short life.
struct AssertionGrant: Grant {
    let kind: BearerAssertionKind
    let allowsPublicClients = false

    var type: String { "urn:ietf:params:oauth:grant-type:\(kind.rawValue)" }
    var name: String { kind.rawValue }

    func respond(to request: TokenRequest, client: AuthenticatedClient, context: OAuthContext) async throws -> TokenResponse {
        guard let assertion = request["assertion"] else {
            throw OAuthError(.oauthInvalidRequest, field: "assertion", detail: "the \(kind.rawValue) grant needs an assertion")
        }
        let asserted: AssertedSubject
        do {
            asserted = try await context.assertion(kind, assertion, client.serviceProvider)
        } catch {
            throw Self.refusal(error)
        }
        guard !asserted.user.locked else {
            throw OAuthError(.oauthInvalidGrant, detail: "the asserted person's account is locked")
        }
        guard TenantPolicy.admits(asserted.user, to: client.serviceProvider) else {
            throw OAuthError(.oauthInvalidGrant, detail: "the asserted person may not use this application (another tenant)")
        }
        let scopes = try await context.knownScopes(request["scope"], client: client.settings)
        return try await TokenIssuer(context: context).issue(
            .init(
                client: client, user: asserted.user, subject: try await context.subject(asserted.user, client.serviceProvider), scopes: scopes,
                grantID: context.random.token(), authTime: nil, nonce: nil, userIsTransient: asserted.isTransient),
            refresh: false, idToken: true)
    }

    /// What the client hears, always `invalid_grant` (RFC 7523 §3.1, RFC 7522 §3.1), with
    /// one of five codes saying which kind of check failed; the underlying code and detail
    /// (`jwt.aud_mismatch: …`) go to the log.
    static func refusal(_ error: any Error) -> any Error {
        if error is OAuthError { return error }
        guard let coded = error as? any CodedError else { return error }
        let raw = coded.code.rawValue
        if raw.hasPrefix("storage.") { return error }  // the server's own failure, not the client's
        let code: ErrorCode =
            switch raw {
            case "jwt.aud_mismatch", "saml.audience_mismatch", "saml.recipient_mismatch": .oauthAssertionAudienceMismatch
            case "jwt.expired", "jwt.not_yet_valid", "jwt.iat_in_future", "saml.expired", "saml.not_yet_valid": .oauthAssertionExpired
            case "jwt.replayed", "saml.replayed": .oauthAssertionReplayed
            case "jwt.signature_invalid", "jwt.kid_unknown", "jwt.kid_missing", "jwt.alg_mismatch", "jwt.iss_mismatch", "saml.unsigned",
                "saml.issuer_mismatch", "saml.issuer_unknown":
                .oauthAssertionUntrusted
            case _ where raw.hasPrefix("connector.upstream"): .oauthTemporarilyUnavailable  // the IdP's JWKS could not be read
            default: raw.hasPrefix("xmldsig.") || raw.hasPrefix("connector.") ? .oauthAssertionUntrusted : .oauthAssertionInvalid
            }
        return OAuthError(code, field: coded.field, value: coded.value, detail: "\(raw): \(coded.detail)")
    }
}
