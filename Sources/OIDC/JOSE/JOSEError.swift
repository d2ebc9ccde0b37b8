public import IdentityCore

/// Why a JWT was refused (ID tokens at a relying party, client assertions at the token
/// endpoint). Every refusal has its own code so a conformance run says exactly what broke.
public enum JOSEArea: ErrorArea {}
public typealias JOSEError = CodedFailure<JOSEArea>

extension ErrorCode {
    public static let jwtMalformed: ErrorCode = "jwt.malformed"
    /// The header names no key (`kid`); keys are never tried one after another.
    public static let jwtKeyIDMissing: ErrorCode = "jwt.kid_missing"
    public static let jwtKeyIDUnknown: ErrorCode = "jwt.kid_unknown"
    /// The header's `alg` is not the algorithm the key is published for (this is what
    /// stops `none`, HS256-with-the-RSA-key and other algorithm substitutions).
    public static let jwtAlgorithmMismatch: ErrorCode = "jwt.alg_mismatch"
    public static let jwtSignatureInvalid: ErrorCode = "jwt.signature_invalid"
    public static let jwtIssuerMismatch: ErrorCode = "jwt.iss_mismatch"
    public static let jwtAudienceMismatch: ErrorCode = "jwt.aud_mismatch"
    public static let jwtAuthorizedPartyMismatch: ErrorCode = "jwt.azp_mismatch"
    public static let jwtExpired: ErrorCode = "jwt.expired"
    public static let jwtIssuedInFuture: ErrorCode = "jwt.iat_in_future"
    public static let jwtNotYetValid: ErrorCode = "jwt.not_yet_valid"
    public static let jwtTooLarge: ErrorCode = "jwt.too_large"
    public static let jwtClaimMissing: ErrorCode = "jwt.claim_missing"
    public static let jwtNonceMismatch: ErrorCode = "jwt.nonce_mismatch"
    public static let jwtAccessTokenHashMismatch: ErrorCode = "jwt.at_hash_mismatch"
    public static let jwtCodeHashMismatch: ErrorCode = "jwt.c_hash_mismatch"
    public static let jwksMalformed: ErrorCode = "jwks.malformed"
}
