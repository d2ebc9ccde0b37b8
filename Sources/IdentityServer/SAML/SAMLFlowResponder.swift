import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// Ends SAML flows: a signed Response with the assertion on success, or a Response with a
/// Responder status on a refusal the SP must hear about, posted to the ACS URL chosen
/// when the request was accepted.
struct SAMLFlowResponder: InboundFlowResponder {
    let runtime: ServerRuntime

    func complete(_ result: AuthenticationResult, context: SAMLFlowContext) async throws -> Response {
        guard let settings = result.serviceProvider.saml else {
            throw SAMLError(.samlIssuerUnknown, detail: "the service provider no longer has SAML settings")
        }
        // CL-9: attributes only with the attribute profile, and then only when asked for
        // unless "include attributes always" is on.
        let releaseAttributes = settings.attributeProfile && (settings.includeAttributesAlways || context.attributesRequested)
        let attributes = releaseAttributes
            ? Dictionary(grouping: result.claims, by: \.name).sorted { $0.key < $1.key }
                .map { SAMLAttribute(name: $0.key, values: $0.value.map(\.value)) }
            : []
        let nameID: (value: String, format: String)
        switch NameIDPolicyDecision.nameID(
            subject: result.subject, settings: settings, requestedFormat: context.nameIDFormat, allowCreate: context.allowCreate,
            hasAccount: !result.userIsTransient)
        {
        case .success(let decided): nameID = decided
        case .failure(let refusal): return try answer(refusal.status, context: context, settings: settings)
        }
        // SA-10: a SessionIndex that names the session to this server alone.
        let sessionIndex = runtime.sessionReferences.sessionIndex(
            sessionID: result.sessionID, serviceProvider: result.serviceProvider.name, unique: result.sessionIndex)
        let content = SAMLAssertionContent(
            nameID: nameID.value, nameIDFormat: nameID.format, attributes: attributes, authnInstant: result.authenticatedAt,
            sessionIndex: sessionIndex, authnContextClassRef: NameIDPolicyDecision.authenticationClass)
        let xml = try build(
            context, settings: settings, status: .success, assertion: content, applicationCertificate: result.serviceProvider.certificate)
        try await runtime.engine.recordParticipant(
            sessionID: result.sessionID,
            SessionParticipant(
                serviceProvider: result.serviceProvider.name, sessionIndex: sessionIndex, subject: nameID.value,
                subjectFormat: nameID.format))
        return post(xml, to: context)
    }

    func fail(_ error: AuthError, context: SAMLFlowContext, serviceProvider: ServiceProvider) async throws -> Response {
        guard let settings = serviceProvider.saml else { throw error }
        // The catalogue's SAML status (SAML core §3.4.1: NoPassive when the IdP cannot
        // answer without the person) and public message.
        return try answer(SAMLStatus(error.code), context: context, settings: settings)
    }

    /// A Response with `status` and no assertion, posted to the flow's ACS URL.
    func answer(_ status: SAMLStatus, context: SAMLFlowContext, settings: SAMLSettings) throws -> Response {
        post(try build(context, settings: settings, status: status, assertion: nil, applicationCertificate: nil), to: context)
    }

    private func build(
        _ context: SAMLFlowContext, settings: SAMLSettings, status: SAMLStatus, assertion: SAMLAssertionContent?, applicationCertificate: String?
    ) throws -> String {
        let signer = try runtime.samlSigner(for: settings)
        let signing = SAMLSigningOptions(
            credential: signer.credential, algorithm: signer.algorithm, digest: signer.digest, signResponse: settings.signResponses,
            signAssertion: settings.signAssertions)
        let parameters = SAMLResponseParameters(
            issuer: runtime.settings.entityID, destination: context.acsURL, inResponseTo: context.requestID,
            audiences: settings.assertionAudiences, recipient: context.acsURL,
            validity: TimeInterval(settings.assertionValiditySeconds), status: status, assertion: assertion, signing: signing,
            encryption: assertion == nil ? nil : try settings.assertionEncryptor(applicationCertificate: applicationCertificate))
        return try runtime.responseBuilder.build(parameters)
    }

    private func post(_ xml: String, to context: SAMLFlowContext) -> Response {
        runtime.pages.html(
            POSTBinding.form(action: context.acsURL, parameter: "SAMLResponse", xml: xml, relayState: context.relayState), status: .ok)
    }
}
