import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// The SAML IdP kind's single logout, both ways (federated logout, SA-10): `/slo` (GET
/// for HTTP-Redirect, POST for HTTP-POST) takes an SP's LogoutRequest — answered with a
/// LogoutResponse to the SP's `sloURL` — and the SP's LogoutResponse to this IdP's own
/// request; `GET /logout` starts an IdP-initiated logout of the person it last signed in
/// at an SP. Every message is recorded.
///
/// The login faults apply to logout messages as a careful SP judges them: `unsigned`
/// sends them unsigned, `unknown-key` signs them with the forgery key, `wrong-issuer` and
/// `wrong-destination` change those fields, `error-response` answers a LogoutRequest
/// with Responder, and `replay` makes `/logout` send its previous LogoutRequest again.
extension MockIdentityProvider {
    /// What an IdP-initiated logout names: the last person this IdP signed in at an SP.
    struct SAMLLogin: Sendable {
        var spEntityID: String
        var nameID: String
        var nameIDFormat: String
        var sessionIndex: String
    }

    func addSAMLLogoutRoutes(to router: Router<BasicRequestContext>) {
        router.get("slo") { request, _ in try self.singleLogout(.redirect(rawQuery: request.uri.query ?? "")) }
        router.post("slo") { request, _ in
            let form = try await MockHTTP.form(request, limit: 1024 * 1024)
            return try self.singleLogout(.post(form: form))
        }
        router.get("logout") { _, _ in try self.startLogout() }
    }

    /// `GET /logout`: a LogoutRequest to the SP the last person signed in at.
    func startLogout() throws -> Response {
        var observation = IdPObservation(action: "logout")
        let faults = self.faults
        let request: LogoutRequest
        let sp: IdPProfile.ServiceProvider
        if faults.contains(.replay), let last = state.withLock({ $0.lastLogoutRequest }) {
            (request, sp) = last
            observation.outcome = "replayed"
        } else {
            guard let login = state.withLock({ $0.lastSAMLLogin }),
                let found = try serviceProvider(entityID: login.spEntityID)
            else {
                throw MockError(.mockBadOption, detail: "nobody has signed in through this IdP yet: there is no one to log out")
            }
            guard let url = try found.sloURL.map(resolve) else {
                throw MockError(.mockProfileInvalid, field: "serviceProviders.sloURL", detail: "the service provider has no sloURL")
            }
            sp = found
            request = LogoutRequest(
                id: random.xmlIdentifier(), issueInstant: clock.now, issuer: faults.contains(.wrongIssuer) ? "https://evil.example/idp" : entityID,
                destination: faults.contains(.wrongDestination) ? "https://evil.example/slo" : url, nameID: login.nameID,
                nameIDFormat: login.nameIDFormat, sessionIndexes: [login.sessionIndex], reason: LogoutRequest.userReason)
        }
        state.withLock { state in
            state.outstandingLogouts.insert(request.id)
            state.lastLogoutRequest = (request, sp)
        }
        observation.message = "LogoutRequest"
        observation.destination = request.destination
        record(observation)
        return try sendLogout(request.tree, parameter: "SAMLRequest", to: sp, relayState: nil)
    }

    func singleLogout(_ message: IncomingSAMLMessage) throws -> Response {
        var observation = IdPObservation(action: "slo")
        let received: ReceivedSAMLMessage
        do {
            received = try ReceivedSAMLMessage(message)
        } catch {
            observation.error = error.code.rawValue
            record(observation)
            return Self.errorPage("the logout message could not be read")
        }
        observation.binding = received.binding.shortName
        observation.relayStatePresent = received.relayState != nil
        switch received.kind {
        case "LogoutRequest": return try answerLogout(received, observation)
        case "LogoutResponse":
            confirmLogout(received, observation)
            return MockHTTP.page("idp-logged-out", title: "mock IdP", "<p>Logged out.</p>")
        default:
            observation.error = ErrorCode.samlUnexpectedMessage.rawValue
            record(observation)
            return Self.errorPage("\(received.kind) at the single logout service")
        }
    }

    /// An SP logs its person out here. Like a careful IdP it acts only on a request from a
    /// known SP, signed when it has the SP's certificate, addressed to this service; it
    /// answers Success, or Requester/RequestDenied when it refused.
    private func answerLogout(_ received: ReceivedSAMLMessage, _ observation: IdPObservation) throws -> Response {
        var o = observation
        o.message = "LogoutRequest"
        let unverified: LogoutRequest
        do {
            unverified = try LogoutRequest(element: received.document.root)
        } catch {
            o.error = error.code.rawValue
            record(o)
            return Self.errorPage("the LogoutRequest could not be read")
        }
        o.issuer = unverified.issuer
        guard let sp = try serviceProvider(entityID: unverified.issuer) else {
            o.error = "unknown_sp"
            record(o)
            return Self.errorPage("unknown service provider \(unverified.issuer)")
        }
        var status = SAMLStatus.success
        do throws(SAMLError) {
            var request = unverified
            if let pem = try? sp.certificate.map(resolve) {
                let (signature, verified) = received.signature(certificate: pem)
                switch signature {
                case .valid: o.messageSignature = "valid"
                case .absent: o.messageSignature = "absent"
                case .invalid: o.messageSignature = "invalid"
                }
                if o.messageSignature != "valid" { throw SAMLError(.samlUnsigned, detail: "the LogoutRequest is not validly signed") }
                request = try verified.map(LogoutRequest.init(element:)) ?? unverified
            } else {
                o.messageSignature = "unchecked"
            }
            o.destination = request.destination
            o.nameID = request.nameID
            let issued = state.withLock { $0.lastSAMLLogin }
            o.sessionIndexMatched = issued.map { request.sessionIndexes.contains($0.sessionIndex) } ?? false
            if let destination = request.destination, destination != baseURL + "/slo" {
                throw SAMLError(.samlDestinationMismatch, field: "Destination", value: destination, detail: "addressed to another endpoint")
            }
            if faults.contains(.errorResponse) { status = SAMLStatus(code: SAMLStatusCode.responder, message: "mock-idp: error-response") }
        } catch {
            o.error = error.code.rawValue
            status = SAMLStatus(code: SAMLStatusCode.requester, subcode: SAMLStatusCode.requestDenied)
        }
        o.outcome = status.shortForm
        record(o)
        let url = try sp.sloURL.map(resolve) ?? ""
        let response = LogoutResponse(
            id: random.xmlIdentifier(), issueInstant: clock.now, issuer: faults.contains(.wrongIssuer) ? "https://evil.example/idp" : entityID,
            destination: faults.contains(.wrongDestination) ? "https://evil.example/slo" : url, inResponseTo: unverified.id, status: status)
        return try sendLogout(response.tree, parameter: "SAMLResponse", to: sp, relayState: received.relayState)
    }

    /// The SP's answer to this IdP's LogoutRequest: for a request it sent and has not had
    /// answered, signed when it has the SP's certificate.
    private func confirmLogout(_ received: ReceivedSAMLMessage, _ observation: IdPObservation) {
        var o = observation
        o.message = "LogoutResponse"
        do throws(SAMLError) {
            let unverified = try LogoutResponse(element: received.document.root)
            guard let id = unverified.inResponseTo, state.withLock({ $0.outstandingLogouts.remove(id) != nil }) else {
                throw SAMLError(.samlInResponseToMismatch, field: "InResponseTo", value: unverified.inResponseTo, detail: "not a logout this IdP started")
            }
            let sp = try? serviceProvider(entityID: unverified.issuer)
            let trusted = (try? sp?.certificate.map(resolve))?.flatMap { try? TrustedCertificate(pem: $0) }.map { [$0] }
            let (response, signature) = try LogoutRequestProcessor.response(
                received, from: unverified.issuer, trusted: trusted, answering: id, addressedTo: [baseURL + "/slo"])
            o.issuer = response.issuer
            o.destination = response.destination
            o.outcome = response.status.shortForm
            o.messageSignature = trusted == nil ? "unchecked" : signature == .valid ? "valid" : "absent"
        } catch {
            o.error = error.code.rawValue
        }
        record(o)
    }

    /// A logout message to an SP through the browser by HTTP-Redirect, signed as the
    /// faults say.
    private func sendLogout(_ message: XMLTree, parameter: String, to sp: IdPProfile.ServiceProvider, relayState: String?) throws -> Response {
        guard let url = try sp.sloURL.map(resolve) else {
            throw MockError(.mockProfileInvalid, field: "serviceProviders.sloURL", detail: "the service provider has no sloURL")
        }
        let faults = self.faults
        let algorithm = SignatureAlgorithm(rawValue: profile.signatureAlgorithm) ?? .rsaSHA256
        let signer = faults.contains(.unsigned)
            ? nil : XMLSigner(credential: faults.contains(.unknownKey) ? try samlForgery : samlSigning, algorithm: algorithm, digest: .sha256)
        switch try OutgoingSAMLMessage.encode(message, parameter: parameter, to: url, binding: .redirect, relayState: relayState, signer: signer) {
        case .redirect(let location): return Response(status: .found, headers: [.location: location])
        case .post(let page): return MockHTTP.html(page)
        }
    }
}
