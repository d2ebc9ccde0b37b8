public import Foundation
public import IdentityCore

/// Validates an ID token as a careful relying party does (OIDC Core §3.1.3.7): the key
/// by `kid` with its published algorithm, then `iss`, `aud`, `azp`, the time window,
/// `nonce`, and `at_hash`/`c_hash` when the access token or code came with it.
public struct IDTokenValidator: Sendable {
    public let issuer: String
    public let clientID: String
    public let keys: VerificationKeySet
    public let clock: any WallClock
    public let clockSkew: TimeInterval
    /// The algorithms the issuer says it signs ID tokens with, when known (discovery).
    public let allowedAlgorithms: Set<String>?

    public init(
        issuer: String, clientID: String, keys: VerificationKeySet, clock: any WallClock, clockSkew: TimeInterval = 60,
        allowedAlgorithms: Set<String>? = nil
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.clock = clock
        self.clockSkew = clockSkew
        self.allowedAlgorithms = allowedAlgorithms
    }

    /// From this issuer, for this client (a logout token is held to the same).
    func checkIssuerAndAudience(iss: String, aud: [String]) throws(JOSEError) {
        guard iss == issuer else {
            throw JOSEError(.jwtIssuerMismatch, field: "iss", value: iss, detail: "the token was issued by another issuer")
        }
        guard aud.contains(clientID) else {
            throw JOSEError(.jwtAudienceMismatch, field: "aud", value: aud.joined(separator: " "), detail: "this client is not an audience")
        }
    }

    public func validate(
        _ token: String, nonce: String?, accessToken: String? = nil, code: String? = nil
    ) async throws(JOSEError) -> (claims: IDTokenClaims, header: JOSEHeader) {
        let (claims, header) = try await keys.verify(token, as: IDTokenClaims.self, allowed: allowedAlgorithms)
        try checkIssuerAndAudience(iss: claims.iss, aud: claims.aud)
        if claims.aud.count > 1 || claims.azp != nil, claims.azp != clientID {
            throw JOSEError(.jwtAuthorizedPartyMismatch, field: "azp", value: claims.azp, detail: "azp must name this client")
        }
        let now = clock.now
        guard now < claims.exp.addingTimeInterval(clockSkew) else {
            throw JOSEError(.jwtExpired, field: "exp", detail: "the token has expired")
        }
        guard claims.iat <= now.addingTimeInterval(clockSkew) else {
            throw JOSEError(.jwtIssuedInFuture, field: "iat", detail: "the token is issued in the future")
        }
        if let nbf = claims.nbf, now.addingTimeInterval(clockSkew) < nbf {
            throw JOSEError(.jwtNotYetValid, field: "nbf", detail: "the token is not valid yet")
        }
        if let nonce, claims.nonce != nonce {
            throw JOSEError(.jwtNonceMismatch, field: "nonce", value: claims.nonce, detail: "the nonce is not the one this client sent")
        }
        if let accessToken, let atHash = claims.atHash, atHash != TokenHash.leftHalf(accessToken) {
            throw JOSEError(.jwtAccessTokenHashMismatch, field: "at_hash", detail: "at_hash does not match the access token")
        }
        if let code {
            guard let cHash = claims.cHash else {
                throw JOSEError(.jwtClaimMissing, field: "c_hash", detail: "an ID token from the authorization endpoint with a code must carry c_hash")
            }
            guard cHash == TokenHash.leftHalf(code) else {
                throw JOSEError(.jwtCodeHashMismatch, field: "c_hash", detail: "c_hash does not match the code")
            }
        }
        return (claims, header)
    }
}
