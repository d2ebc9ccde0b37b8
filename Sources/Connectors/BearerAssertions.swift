public import AuthFramework
public import Foundation
public import IdentityCore
import OIDC
import SAML
import XMLSecurity

/// RFC 7523 §2.1: a JWT an OpenID Provider registered here issued about a person, verified
/// with the keys its JWKS publishes (or registered inline, `oauth.jwks`) — as its ID tokens
/// are — and addressed to this authorization server.
extension OIDCConnector: BearerAssertionVerifying {
    /// The IdP's signing keys: registered inline, else fetched from its JWKS URI.
    func verificationKeys(_ settings: OAuthConnectorSettings) async throws -> VerificationKeySet {
        if let inline = settings.jwks { return try await VerificationKeySet(jwks: Data(inline.utf8)) }
        guard let jwksURI = settings.jwksURI else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth.jwksURI", detail: "an OpenID Connect IdP needs jwksURI or jwks")
        }
        let jwks = try await flow.http.send("GET", jwksURI)
        guard jwks.status == 200 else {
            throw ConnectorError(.connectorUpstreamFailed, value: String(jwks.status), detail: "the JWKS answered HTTP \(jwks.status)")
        }
        return try await VerificationKeySet(jwks: jwks.body)
    }

    public func verifyBearerAssertion(_ assertion: String, from identityProvider: IdentityProvider, audiences: [String]) async throws
        -> VerifiedBearerAssertion
    {
        let settings = try OAuthCodeFlow.settings(identityProvider)
        guard let issuer = settings.issuer else {
            throw ConnectorError(.connectorMisconfigured, field: "oauth.issuer", detail: "an OpenID Connect IdP needs an issuer")
        }
        let claims = try await BearerAssertionValidator(
            issuer: issuer, audiences: Set(audiences), keys: try await verificationKeys(settings), clock: clock
        ).validate(assertion)
        var all = claims.claims
        all["sub"] = .string(claims.sub)
        let flattened = ClaimFlattening.flatten(all)
        return VerifiedBearerAssertion(
            identity: FederatedIdentity(
                identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(flattened, claim: identityProvider.userIDClaim),
                claims: flattened),
            // Held past exp by the validator's clock skew: until then it is still accepted.
            uniqueID: claims.jti ?? "", expiresAt: claims.exp.addingTimeInterval(60))
    }
}

/// RFC 7522 §2.1: a SAML 2.0 Assertion a SAML IdP registered here issued and signed, with
/// a bearer confirmation for this token endpoint and an audience naming it.
extension SAMLConnector: BearerAssertionVerifying {
    public func verifyBearerAssertion(_ assertion: String, from identityProvider: IdentityProvider, audiences: [String]) async throws
        -> VerifiedBearerAssertion
    {
        let settings = try Self.settings(identityProvider)
        guard let bytes = Base64URL.decode(assertion) else {
            throw SAMLError(.samlBadBase64, field: "assertion", detail: "the assertion is not base64url")
        }
        let document = try SafeXMLParser.parse(bytes)
        let trusted = try settings.certificates.map { pem throws(XMLSecurityError) in try TrustedCertificate(pem: pem) }
        let tokenEndpoint = audiences.first ?? ""
        // Any of the names of this authorization server may be the Audience; the
        // Recipient must be the token endpoint itself (RFC 7522 §3 items 3 and 4).
        var failure: SAMLError?
        for audience in audiences {
            do {
                let validated = try SAMLResponseValidator(clock: clock).validateBearerAssertion(
                    document,
                    expecting: .init(
                        idpEntityID: settings.idpEntityID, trusted: trusted, audience: audience, acsURL: tokenEndpoint, outstandingRequestIDs: [],
                        allowUnsolicited: true))
                guard !validated.id.isEmpty else {
                    throw SAMLError(.samlMalformed, field: "Assertion/@ID", detail: "an assertion without an ID cannot be held to one use")
                }
                // Accepted until the later of its two expiries (plus the skew): remembered as long.
                let expiries = [validated.notOnOrAfter, validated.confirmationNotOnOrAfter].compactMap { $0 }
                guard let expiry = expiries.max(), expiry.timeIntervalSince(validated.issueInstant ?? clock.now) <= 3600 + 60 else {
                    throw SAMLError(.samlExpired, field: "NotOnOrAfter", detail: "a bearer assertion must expire within an hour of its issue")
                }
                var claims = [String: [String]]()
                for attribute in validated.attributes { claims[attribute.name, default: []] += attribute.values }
                claims[IdentityProvider.Kind.nameIDClaim] = [validated.nameID]
                return VerifiedBearerAssertion(
                    identity: FederatedIdentity(
                        identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(claims, claim: identityProvider.userIDClaim),
                        claims: claims),
                    uniqueID: validated.id, expiresAt: expiry.addingTimeInterval(60))
            } catch let error as SAMLError where error.code == .samlAudienceMismatch {
                failure = error
            }
        }
        throw failure ?? SAMLError(.samlAudienceMismatch, detail: "no audience to check")
    }
}
