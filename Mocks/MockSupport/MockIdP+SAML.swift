import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// A pending SAML login, between the AuthnRequest and the person's choice.
struct SAMLRequestContext: Sendable {
    var requestID: String
    var spEntityID: String
    var acs: String
    var relayState: String?
    var nameIDFormat: String
}

/// The SAML 2.0 IdP kind: AuthnRequests by HTTP-Redirect or HTTP-POST at `/sso`, signed
/// Responses (assertion and response) by HTTP-POST, metadata at `/metadata`.
extension MockIdentityProvider {
    var entityID: String { (try? resolve(profile.entityID ?? "{idp}")) ?? baseURL }

    func addSAMLRoutes(to router: Router<BasicRequestContext>) {
        router.get("sso") { request, _ in
            do {
                let message = try RedirectBinding.decode(rawQuery: request.uri.query ?? "")
                return try await self.sso(message.document, binding: "redirect", relayState: message.relayState, signed: message.signature != nil)
            } catch {
                return self.refusedSSO("redirect", error)
            }
        }
        router.post("sso") { request, _ in
            let form = try await MockHTTP.form(request, limit: 1024 * 1024)
            do {
                let document = try POSTBinding.decode(form["SAMLRequest"] ?? "", parameter: "SAMLRequest")
                let signed = document.root.firstChild("Signature", XMLNamespace.dsig) != nil
                return try await self.sso(document, binding: "post", relayState: form["RelayState"], signed: signed)
            } catch {
                return self.refusedSSO("post", error)
            }
        }
        addSAMLLogoutRoutes(to: router)
        router.get("metadata") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/samlmetadata+xml"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: SAMLMetadata.identityProvider(
                            entityID: self.entityID, ssoURL: self.baseURL + "/sso", sloURL: self.baseURL + "/slo", certificates: [self.samlSigning],
                            nameIDFormats: [NameIDFormat.persistent.rawValue, NameIDFormat.emailAddress.rawValue], wantsSignedRequests: false))))
        }
    }

    /// The profile's service provider with this entity ID (placeholders resolved).
    func serviceProvider(entityID: String) throws -> IdPProfile.ServiceProvider? {
        try profile.serviceProviders.first { try resolve($0.entityID) == entityID }
    }

    func refusedSSO(_ binding: String, _ error: any Error) -> Response {
        var observation = IdPObservation(action: "sso")
        observation.binding = binding
        observation.error = (error as? any CodedError)?.code.rawValue ?? "malformed"
        record(observation)
        return Self.errorPage("the AuthnRequest could not be read")
    }

    func sso(_ document: XMLDocument, binding: String, relayState: String?, signed: Bool) async throws -> Response {
        let request = try AuthnRequest(element: document.root)
        var observation = IdPObservation(action: "sso")
        observation.binding = binding
        observation.issuer = request.issuer
        observation.destination = request.destination
        observation.acs = request.assertionConsumerServiceURL
        observation.requestSigned = signed
        observation.relayStatePresent = relayState != nil
        observation.nameIDPolicy = request.nameIDPolicyFormat
        observation.forceAuthn = request.forceAuthn
        observation.isPassive = request.isPassive
        // Only a known SP, and only to one of its registered ACS URLs.
        guard let sp = try serviceProvider(entityID: request.issuer) else {
            observation.error = "unknown_sp"
            record(observation)
            return Self.errorPage("unknown service provider \(request.issuer)")
        }
        let acsURLs = try sp.acsURLs.map(resolve)
        let acs = request.assertionConsumerServiceURL ?? acsURLs.first ?? ""
        guard acsURLs.contains(acs) else {
            observation.error = "acs_not_registered"
            record(observation)
            return Self.errorPage("AssertionConsumerServiceURL is not registered")
        }
        record(observation)
        let context = SAMLRequestContext(
            requestID: request.id, spEntityID: request.issuer, acs: acs, relayState: relayState,
            nameIDFormat: request.nameIDPolicyFormat ?? NameIDFormat.persistent.rawValue)
        // With autoLogin the person is taken to be signed in already: answered at once,
        // passive requests too.
        if let user = autoLoginUser { return try await finishSSO(context, user: user) }
        // The mock keeps no session otherwise: a passive request cannot be answered with a login.
        if request.isPassive {
            return try post(status: SAMLStatus(code: SAMLStatusCode.responder, subcode: SAMLStatusCode.noPassive), context, user: nil)
        }
        let id = random.token()
        state.withLock { Self.remember(.saml(context), as: id, in: &$0.pending, order: &$0.pendingOrder) }
        return loginPage(pendingID: id, client: request.issuer)
    }

    func finishSSO(_ context: SAMLRequestContext, user: IdPProfile.TestUser?) async throws -> Response {
        var observation = IdPObservation(action: "login")
        let faults = self.faults
        // The previous Response, injected into this login (its RelayState): what an
        // attacker who captured one would try.
        if faults.contains(.replay), let last = state.withLock({ $0.lastSAMLResponse }) {
            observation.outcome = "replayed"
            record(observation)
            return MockHTTP.html(POSTBinding.form(action: last.acs, parameter: "SAMLResponse", xml: last.xml, relayState: context.relayState))
        }
        guard let user, !faults.contains(.errorResponse) else {
            observation.outcome = user == nil ? "denied" : "error-response"
            record(observation)
            return try post(status: SAMLStatus(code: SAMLStatusCode.responder, subcode: SAMLStatusCode.requestDenied), context, user: nil)
        }
        observation.outcome = "user:\(user.username)"
        record(observation)
        return try post(status: .success, context, user: user)
    }

    /// Builds, signs and auto-posts a Response, with the faults in force applied.
    func post(status: SAMLStatus, _ context: SAMLRequestContext, user: IdPProfile.TestUser?) throws -> Response {
        let faults = self.faults
        let now = faultedNow(faults)
        let builder = SAMLResponseBuilder(clock: FixedWallClock(now), random: random)
        let assertion = user.map { user in
            SAMLAssertionContent(
                nameID: faults.contains(.missingUserID) ? "" : user.id, nameIDFormat: context.nameIDFormat, attributes: attributes(user),
                authnInstant: now, sessionIndex: random.xmlIdentifier())
        }
        if let assertion, status.isSuccess {
            state.withLock {
                $0.lastSAMLLogin = SAMLLogin(
                    spEntityID: context.spEntityID, nameID: assertion.nameID, nameIDFormat: assertion.nameIDFormat,
                    sessionIndex: assertion.sessionIndex)
            }
        }
        let wrapping = faults.lazy.compactMap(\.wrapping).first
        let signing = try samlSigningOptions(
            faults,
            // The encryption faults show what an assertion-only signature (the usual
            // configuration) leaves to the SP: a signed Response would be refused for its
            // digest before the SP ever decrypted anything.
            signResponse: (wrapping?.signsResponse ?? profile.signResponses) && !faults.contains(where: \.needsEncryption),
            signAssertion: wrapping.map { !$0.signsResponse } ?? true)
        var parameters = SAMLResponseParameters(
            issuer: faults.contains(.wrongIssuer) ? "https://evil.example/idp" : entityID,
            destination: faults.contains(.wrongDestination) ? "https://evil.example/acs" : context.acs,
            inResponseTo: faults.contains(.wrongInResponseTo) ? "_not-your-request" : context.requestID,
            audiences: [faults.contains(.wrongAudience) ? "https://someone-else.example" : context.spEntityID],
            recipient: faults.contains(.wrongRecipient) ? "https://evil.example/acs" : context.acs,
            validity: TimeInterval(profile.validitySeconds), status: status, assertion: status.isSuccess ? assertion : nil, signing: signing)
        let encryption = try encryptor(for: context, faults: faults)
        var xml: String
        if let encryption, status.isSuccess {
            // The plaintext Response is built only for the fault that puts its assertion beside the encrypted one.
            let plain = faults.contains(.plainBesideEncrypted) ? try builder.build(parameters) : nil
            parameters.encryption = encryption
            xml = try encryptionFaults(try builder.build(parameters), plain: plain, faults)
        } else {
            xml = try builder.build(parameters)
        }
        if let wrapping, status.isSuccess { xml = SAMLWrapping.salting(try wrapping.rewrite(xml), with: context.requestID) }
        if let attack = state.withLock({ $0.attack }), status.isSuccess, let user {
            xml = try liveAttack(attack, context, user: user)
        }
        state.withLock { $0.lastSAMLResponse = (xml, context.acs, context.relayState) }
        return MockHTTP.html(POSTBinding.form(action: context.acs, parameter: "SAMLResponse", xml: xml, relayState: context.relayState))
    }

    /// How Responses and assertions are signed with the faults in force: not at all
    /// (`unsigned`), or with the forgery key (`unknown-key`), in the profile's algorithm.
    func samlSigningOptions(_ faults: Set<IdPFault>, signResponse: Bool, signAssertion: Bool) throws -> SAMLSigningOptions? {
        guard !faults.contains(.unsigned) else { return nil }
        return SAMLSigningOptions(
            credential: faults.contains(.unknownKey) ? try samlForgery : samlSigning,
            algorithm: SignatureAlgorithm(rawValue: profile.signatureAlgorithm) ?? .rsaSHA256, digest: .sha256, signResponse: signResponse,
            signAssertion: signAssertion)
    }

    /// SA-8: how this Response's assertion is encrypted — with the profile's algorithms for
    /// the SP's certificate (or, with `encrypt-wrong-key`, for the forgery certificate) —
    /// or nil when neither the profile nor a fault asks for encryption.
    func encryptor(for context: SAMLRequestContext, faults: Set<IdPFault>) throws -> (any ElementEncrypting)? {
        guard profile.encryption != nil || faults.contains(where: \.needsEncryption) else { return nil }
        let settings = profile.encryption ?? IdPProfile.Encryption()
        let recipient: EncryptionRecipient
        if faults.contains(.encryptWrongKey) {
            recipient = try EncryptionRecipient(try samlForgery.certificate)
        } else {
            guard let pem = try serviceProvider(entityID: context.spEntityID)?.certificate.map(resolve) else {
                throw MockError(
                    .mockProfileInvalid, field: "serviceProviders.certificate", value: context.spEntityID,
                    detail: "encrypting an assertion needs the SP's certificate")
            }
            recipient = try EncryptionRecipient(pem: pem)
        }
        let encryptor = XMLEncryptor(recipient: recipient, data: settings.data, keyTransport: settings.keyTransport)
        return faults.contains(.weakKeyTransport) ? LegacyKeyTransportEncryptor(base: encryptor) : encryptor
    }

    /// The encryption faults, applied to the encrypted Response `xml`.
    func encryptionFaults(_ xml: String, plain: String?, _ faults: Set<IdPFault>) throws -> String {
        var xml = xml
        if faults.contains(.tamperedCiphertext) { xml = CiphertextTampering.changeOneCharacter(in: xml) }
        if let plain, let assertion = try SafeXMLParser.parse(plain).root.firstChild("Assertion", XMLNamespace.saml) {
            // The plaintext assertion in its own signed form, with `saml:` declared where it now stands.
            let element = assertion.serialized().replacingOccurrences(of: "<saml:Assertion ", with: "<saml:Assertion xmlns:saml=\"\(XMLNamespace.saml)\" ")
            xml = xml.replacingOccurrences(of: "</saml:EncryptedAssertion>", with: "</saml:EncryptedAssertion>" + element)
        }
        return xml
    }

    /// A catalogue entry built for this flow: its request ID, SP, ACS and time, about the
    /// person logging in, with IDs salted by the request ID so a real SP's replay cache
    /// never meets the same Assertion ID twice.
    func liveAttack(_ name: String, _ context: SAMLRequestContext, user: IdPProfile.TestUser) throws -> String {
        var live = SAMLAttackCatalogue.Context(signing: samlSigning, attacker: try samlForgery)
        live.idpEntityID = entityID
        live.spEntityID = context.spEntityID
        live.acs = context.acs
        live.requestID = context.requestID
        live.now = clock.now
        live.nameID = user.id
        live.seedSalt = context.requestID
        guard let entry = try SAMLAttackCatalogue(live).entry(named: name) else {
            throw MockError(.mockBadOption, field: "attack", value: name, detail: "no such SAML attack")
        }
        return entry.xml
    }

    /// A test user's claims as SAML attributes: each value, or each item of a list.
    func attributes(_ user: IdPProfile.TestUser) -> [SAMLAttribute] {
        guard case .object(let pairs) = user.claims else { return [] }
        return pairs.map { name, value in
            let values: [String] = switch value {
            case .array(let items): items.compactMap(\.stringValue)
            default: value.stringValue.map { [$0] } ?? []
            }
            return SAMLAttribute(name: name, values: values)
        }.sorted { $0.name < $1.name }
    }
}
