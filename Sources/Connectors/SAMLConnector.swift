public import AuthFramework
public import Foundation
public import IdentityCore
public import IdentityStorage
import SAML
public import XMLSecurity

/// What a SAML login keeps between the AuthnRequest and the Response.
struct SAMLLoginContext: Codable {
    var requestID: String
    var relayState: String
}

/// SAML 2.0 IdPs, the server acting as a service provider: an AuthnRequest by HTTP-Redirect
/// or HTTP-POST (signed when the IdP wants it), and the Response validated as the mock SP
/// validates the server's own — signature by a configured certificate only, Issuer,
/// Destination and Recipient (the callback URL), Audience, time window, InResponseTo the
/// request this login sent — and each assertion accepted once.
public struct SAMLConnector: FederatedAuthenticator {
    let clock: any WallClock
    let random: any RandomSource
    let replays: any ReplayStore
    /// The server's entity ID, presented to IdPs that name none of their own.
    let entityID: String
    /// Signs AuthnRequests for IdPs with `signRequests`.
    let credential: SigningCredential?
    /// SA-8: opens assertions an IdP encrypted for the server, with the same RSA key (the
    /// certificate IdPs already have for it, as WSO2 uses one keystore key for both).
    let decryptor: XMLDecryptor?

    public init(clock: any WallClock, random: any RandomSource, replays: any ReplayStore, entityID: String, credential: SigningCredential?) {
        self.clock = clock
        self.random = random
        self.replays = replays
        self.entityID = entityID
        self.credential = credential
        self.decryptor = credential.flatMap { try? XMLDecryptor(credential: $0) }
    }

    static func settings(_ idp: IdentityProvider) throws(ConnectorError) -> SAMLConnectorSettings {
        guard let settings = idp.saml else {
            throw ConnectorError(.connectorMisconfigured, field: "saml", detail: "identity provider '\(idp.name)' has no saml settings")
        }
        return settings
    }

    public func start(_ identityProvider: IdentityProvider, state: String, callbackURL: String) async throws -> FederatedStart {
        let settings = try Self.settings(identityProvider)
        let request = AuthnRequest(
            id: random.xmlIdentifier(), issueInstant: clock.now, issuer: settings.spEntityID ?? entityID, destination: settings.ssoURL,
            assertionConsumerServiceURL: callbackURL, assertionConsumerServiceIndex: nil, protocolBinding: SAMLBinding.post.rawValue,
            forceAuthn: false, isPassive: false, nameIDPolicyFormat: settings.nameIDFormat?.rawValue, attributeConsumingServiceIndex: nil)
        let context = try JSONEncoder().encode(SAMLLoginContext(requestID: request.id, relayState: state))
        let signer = settings.signRequests ? Self.signer(credential) : nil
        if settings.binding == .post {
            let document = try OutgoingSAMLMessage.enveloped(request.tree, signer: signer)
            return FederatedStart(
                redirect: .post(
                    url: settings.ssoURL,
                    fields: [.init("SAMLRequest", Data(document.utf8).base64EncodedString()), .init("RelayState", state)]),
                context: context)
        }
        guard case .redirect(let location) = try OutgoingSAMLMessage.encode(
            request.tree, parameter: "SAMLRequest", to: settings.ssoURL, binding: .redirect, relayState: state, signer: signer)
        else { preconditionFailure("the HTTP-Redirect binding encodes a redirect") }
        return FederatedStart(redirect: .redirect(location), context: context)
    }

    /// How this server signs its messages to SAML IdPs (AuthnRequests, logout messages):
    /// RSA-SHA256 with its RSA key; nothing without one.
    public static func signer(_ credential: SigningCredential?) -> XMLSigner? {
        credential.map { XMLSigner(credential: $0, algorithm: .rsaSHA256, digest: .sha256) }
    }

    public func finish(_ identityProvider: IdentityProvider, response: [String: String], context: Data, callbackURL: String) async throws
        -> FederatedIdentity
    {
        let settings = try Self.settings(identityProvider)
        let login = try JSONDecoder().decode(SAMLLoginContext.self, from: context)
        guard ConstantTime.equals(response["RelayState"] ?? "", login.relayState) else {
            throw ConnectorError(.connectorStateMismatch, field: "RelayState", detail: "the answer's RelayState is not the one this login sent")
        }
        guard let encoded = response["SAMLResponse"] else {
            throw ConnectorError(.connectorResponseMalformed, field: "SAMLResponse", detail: "the answer carries no SAMLResponse")
        }
        let trusted = try settings.certificates.map { pem throws(XMLSecurityError) in try TrustedCertificate(pem: pem) }
        let validated = try SAMLResponseValidator(clock: clock).validate(
            try POSTBinding.decode(encoded, parameter: "SAMLResponse"),
            expecting: .init(
                idpEntityID: settings.idpEntityID, trusted: trusted, audience: settings.spEntityID ?? entityID, acsURL: callbackURL,
                outstandingRequestIDs: [login.requestID], allowUnsolicited: false, decryptor: decryptor,
                acceptsUnauthenticatedCBC: settings.acceptsUnauthenticatedCBC ?? false))
        guard validated.status.isSuccess, let assertion = validated.assertion else {
            let code = validated.status.subcode ?? validated.status.code
            throw AuthError(.authFederatedDenied, value: code, detail: "the identity provider answered \(code)")
        }
        // An assertion is good for one login (SAML profiles §4.1.4.5).
        let until = assertion.notOnOrAfter ?? clock.now.addingTimeInterval(300)
        guard try await replays.claim("saml-assertion:\(identityProvider.name):\(assertion.id)", until: until, now: clock.now) else {
            throw SAMLError(.samlReplayed, field: "Assertion/@ID", value: assertion.id, detail: "this assertion was already used")
        }
        var claims = [String: [String]]()
        for attribute in assertion.attributes { claims[attribute.name, default: []] += attribute.values }
        claims[IdentityProvider.Kind.nameIDClaim] = [assertion.nameID]
        return FederatedIdentity(
            identityProvider: identityProvider.name, subject: try ClaimFlattening.subject(claims, claim: identityProvider.userIDClaim), claims: claims,
            login: FederatedLogin(
                identityProvider: identityProvider.name, nameID: assertion.nameID, nameIDFormat: assertion.nameIDFormat,
                sessionIndex: assertion.sessionIndex))
    }
}
