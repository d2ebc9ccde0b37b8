/// The error catalogue: `jwt.*`, `jwks.*`, `discovery.*` — JOSE (ID tokens, client
/// assertions) and what a relying party reads of a provider.
extension ErrorCode {
    public static let jwtMalformed = ErrorCode(
        "jwt.malformed", status: 400,
        message: "The token is malformed.",
        summary: "Not a compact JWS, or a part that does not decode.")
    public static let jwtKeyIDMissing = ErrorCode(
        "jwt.kid_missing", status: 400,
        message: "The token names no key.",
        summary: "The header names no key (`kid`); keys are never tried one after another.")
    public static let jwtKeyIDUnknown = ErrorCode(
        "jwt.kid_unknown", status: 400,
        message: "The token was signed by an unknown key.",
        summary: "No published key has this `kid`.")
    public static let jwtAlgorithmMismatch = ErrorCode(
        "jwt.alg_mismatch", status: 400,
        message: "The token uses another algorithm than its key.",
        summary: "The header's `alg` is not the key's: what stops `none` and algorithm substitution.")
    public static let jwtSignatureInvalid = ErrorCode(
        "jwt.signature_invalid", status: 400,
        message: "The token's signature is invalid.",
        summary: "The signature does not verify.")
    public static let jwtIssuerMismatch = ErrorCode(
        "jwt.iss_mismatch", status: 400,
        message: "The token is from another issuer.",
        summary: "`iss` is not the expected issuer.")
    public static let jwtAudienceMismatch = ErrorCode(
        "jwt.aud_mismatch", status: 400,
        message: "The token is meant for someone else.",
        summary: "`aud` does not name this party.")
    public static let jwtAuthorizedPartyMismatch = ErrorCode(
        "jwt.azp_mismatch", status: 400,
        message: "The token was issued to another party.",
        summary: "`azp` is not this client.")
    public static let jwtExpired = ErrorCode(
        "jwt.expired", status: 400,
        message: "The token has expired.",
        summary: "`exp` has passed.")
    public static let jwtIssuedInFuture = ErrorCode(
        "jwt.iat_in_future", status: 400,
        message: "The token was issued in the future.",
        summary: "`iat` is later than now (beyond the clock skew).")
    public static let jwtNotYetValid = ErrorCode(
        "jwt.not_yet_valid", status: 400,
        message: "The token is not valid yet.",
        summary: "`nbf` is in the future.")
    public static let jwtTooLarge = ErrorCode(
        "jwt.too_large", status: 400,
        message: "The token is too large.",
        summary: "Over 16 KiB: refused unread.")
    public static let jwtClaimMissing = ErrorCode(
        "jwt.claim_missing", status: 400,
        message: "The token lacks a required claim.",
        summary: "A claim the profile requires is absent.")
    public static let jwtNonceMismatch = ErrorCode(
        "jwt.nonce_mismatch", status: 400,
        message: "The token does not belong to this sign-in.",
        summary: "`nonce` is not the one sent.")
    public static let jwtAccessTokenHashMismatch = ErrorCode(
        "jwt.at_hash_mismatch", status: 400,
        message: "The token does not match its access token.",
        summary: "`at_hash` does not match the access token.")
    public static let jwtCodeHashMismatch = ErrorCode(
        "jwt.c_hash_mismatch", status: 400,
        message: "The token does not match its code.",
        summary: "`c_hash` does not match the code.")
    public static let jwtNotALogoutToken = ErrorCode(
        "jwt.not_a_logout_token", status: 400,
        message: "The logout token is not one.",
        summary: "Back-Channel Logout 1.0 §2.6: no back-channel logout event, a nonce, neither sid nor sub, or another typ than logout+jwt.")
    public static let jwtReplayed = ErrorCode(
        "jwt.replayed", status: 400,
        message: "The token was already used.",
        summary: "A jti seen before, within the token's lifetime (a logout token sent twice).")
    public static let jwksMalformed = ErrorCode(
        "jwks.malformed", status: 400,
        message: "The identity provider's keys are not readable.",
        summary: "A JWKS that does not parse.")
    public static let discoveryInvalid = ErrorCode(
        "discovery.invalid", status: 502,
        message: "The identity provider's metadata is not usable.",
        summary: "An OpenID Provider's discovery document lacks a required member or has one of the wrong type (Discovery 1.0 §3).")
    public static let discoveryEndpointMissing = ErrorCode(
        "discovery.endpoint_missing", status: 502,
        message: "The identity provider does not offer this.",
        summary: "A relying party needs an endpoint the provider's discovery document does not name (an optional member).")
}

extension ErrorCatalogue {
    static let jwt: [ErrorCode] = [
        .jwtMalformed, .jwtKeyIDMissing, .jwtKeyIDUnknown, .jwtAlgorithmMismatch,
        .jwtSignatureInvalid, .jwtIssuerMismatch, .jwtAudienceMismatch, .jwtAuthorizedPartyMismatch,
        .jwtExpired, .jwtIssuedInFuture, .jwtNotYetValid, .jwtTooLarge,
        .jwtClaimMissing, .jwtNonceMismatch, .jwtAccessTokenHashMismatch, .jwtCodeHashMismatch,
        .jwtNotALogoutToken, .jwtReplayed, .jwksMalformed, .discoveryInvalid, .discoveryEndpointMissing,
    ]
}
