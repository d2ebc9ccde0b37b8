import Foundation
import Hummingbird
import IdentityCore
import SAML
import XMLSecurity

/// Single logout at the mock SP (SA-10): `GET /logout` sends the IdP a LogoutRequest for
/// the person it last signed in; `/slo` (GET for HTTP-Redirect, POST for HTTP-POST)
/// receives the IdP's LogoutRequests — answered as the profile's `sloAnswer` says — and
/// its LogoutResponses. Each message is recorded as an observation.
extension MockServiceProvider {
    func logout(_ request: Request) throws -> Response {
        let query = MockHTTP.fields(request.uri.query ?? "")
        let options = try LogoutOptions(query: query)
        let logoutRequest: LogoutRequest
        if options.replay {
            guard let last = state.withLock({ $0.lastLogout }) else {
                throw MockError(.mockBadOption, field: "replay", value: "true", detail: "no LogoutRequest was sent yet")
            }
            logoutRequest = last
        } else {
            guard let login = observations.last(where: { $0.accepted && $0.message == nil }), let nameID = login.nameID else {
                throw MockError(.mockBadOption, detail: "nobody has signed in here yet: there is no one to log out")
            }
            logoutRequest = LogoutRequest(
                id: random.xmlIdentifier(), issueInstant: clock.now, issuer: profile.profile.entityID,
                destination: options.omitDestination ? nil : (options.destination ?? profile.idpSLOURL), nameID: options.nameID ?? nameID,
                nameIDFormat: login.nameIDFormat,
                sessionIndexes: options.omitSessionIndex ? [] : [options.sessionIndex ?? login.sessionIndex].compactMap { $0 },
                reason: LogoutRequest.userReason)
        }
        state.withLock { state in
            state.outstandingLogouts.insert(logoutRequest.id)
            state.lastLogout = logoutRequest
        }
        let credential: SigningCredential? = switch options.signing {
        case .none: nil
        case .valid: profile.signing
        case .forged: profile.forgery
        }
        return try send(logoutRequest.tree, parameter: "SAMLRequest", binding: options.binding, relayState: options.relayState, signer: credential)
    }

    func singleLogout(_ message: IncomingSAMLMessage, at path: String) async throws -> Response {
        var observation = SPObservation(acs: baseURL + path, accepted: false)
        let received: ReceivedSAMLMessage
        do {
            received = try ReceivedSAMLMessage(message)
        } catch {
            observation.error = error.code.rawValue
            observation.errorDetail = error.detail
            return record(observation)
        }
        observation.binding = received.binding.shortName
        // The RelayState of an IdP's LogoutRequest is the IdP's own opaque state (random per
        // run), only to be echoed: recorded for answers to this SP's requests alone.
        if received.kind != "LogoutRequest" { observation.relayState = received.relayState }
        switch received.kind {
        case "LogoutRequest": return try await answer(received, observation)
        case "LogoutResponse": return confirm(received, observation)
        default:
            observation.error = ErrorCode.samlUnexpectedMessage.rawValue
            observation.errorDetail = "\(received.kind) at the single logout endpoint"
            return record(observation)
        }
    }

    /// The IdP asks it to log a person out. Like a careful SP it acts only on a signed
    /// request from its IdP, addressed to it; it answers Success, or Requester/RequestDenied
    /// when it refused, or as the profile's `sloAnswer` makes it misbehave.
    private func answer(_ received: ReceivedSAMLMessage, _ observation: SPObservation) async throws -> Response {
        var o = observation
        o.message = "LogoutRequest"
        var request: LogoutRequest?
        do throws(SAMLError) {
            let unverified = try LogoutRequest(element: received.document.root)
            request = unverified
            let (signature, verified) = received.signature(trusting: profile.idpCertificates)
            let parsed = try verified.map(LogoutRequest.init(element:)) ?? unverified
            request = parsed
            o.issuer = parsed.issuer
            o.destination = parsed.destination
            o.issueInstant = SAMLTime.string(parsed.issueInstant)
            o.nameID = parsed.nameID
            o.nameIDFormat = parsed.nameIDFormat
            o.sessionIndex = parsed.sessionIndexes.first
            o.messageSignature = try Self.signatureState(signature, what: "LogoutRequest")
            guard parsed.issuer == profile.profile.idp.entityID else {
                throw SAMLError(.samlIssuerMismatch, field: "Issuer", value: parsed.issuer, detail: "not this SP's IdP")
            }
            if let destination = parsed.destination, destination != o.acs {
                throw SAMLError(.samlDestinationMismatch, field: "Destination", value: destination, detail: "addressed to another endpoint")
            }
            o.accepted = true
        } catch {
            o.error = error.code.rawValue
            o.errorDetail = error.detail
        }
        _ = record(o)
        if profile.profile.sloAnswer == .slow { try await Task.sleep(for: .seconds(MockIdentityProvider.stallSeconds)) }
        guard let request, profile.profile.sloAnswer != .none else {
            return MockHTTP.html(Self.resultPage(o))
        }
        let status: SAMLStatus =
            if !o.accepted { SAMLStatus(code: SAMLStatusCode.requester, subcode: SAMLStatusCode.requestDenied) }
            else if profile.profile.sloAnswer == .error { SAMLStatus(code: SAMLStatusCode.responder, message: "mock-sp: sloAnswer is error") }
            else { .success }
        let response = LogoutResponse(
            id: random.xmlIdentifier(), issueInstant: clock.now, issuer: profile.profile.entityID, destination: profile.idpSLOURL,
            inResponseTo: request.id, status: status)
        let signer = profile.profile.sloAnswer == .forged ? profile.forgery : profile.signing
        return try send(response.tree, parameter: "SAMLResponse", binding: profile.profile.sloBinding, relayState: received.relayState, signer: signer)
    }

    /// The IdP's answer to this SP's LogoutRequest: signed by the IdP, for a request it
    /// sent and has not had answered, addressed here.
    private func confirm(_ received: ReceivedSAMLMessage, _ observation: SPObservation) -> Response {
        var o = observation
        o.message = "LogoutResponse"
        do throws(SAMLError) {
            let unverified = try LogoutResponse(element: received.document.root)
            o.inResponseTo = unverified.inResponseTo
            guard let id = unverified.inResponseTo, state.withLock({ $0.outstandingLogouts.contains(id) }) else {
                throw SAMLError(.samlInResponseToMismatch, field: "InResponseTo", value: unverified.inResponseTo, detail: "not a logout this SP started")
            }
            let (response, signature) = try LogoutRequestProcessor.response(
                received, from: profile.profile.idp.entityID, trusted: profile.idpCertificates, answering: id, addressedTo: [o.acs])
            o.issuer = response.issuer
            o.destination = response.destination
            o.issueInstant = SAMLTime.string(response.issueInstant)
            o.status = response.status.shortForm
            o.messageSignature = try Self.signatureState(signature, what: "LogoutResponse")
            guard state.withLock({ $0.outstandingLogouts.remove(id) != nil }) else {
                throw SAMLError(.samlReplayed, field: "InResponseTo", value: id, detail: "this logout was already answered")
            }
            o.accepted = response.status.isSuccess
            if !o.accepted { o.error = ErrorCode.samlStatusNotSuccess.rawValue }
        } catch {
            o.error = error.code.rawValue
            o.errorDetail = error.detail
        }
        return record(o)
    }

    /// `valid`, or a refusal: a careful SP acts on signed logout messages only.
    private static func signatureState(_ status: RequestSignatureStatus, what: String) throws(SAMLError) -> String {
        switch status {
        case .valid: return "valid"
        case .absent: throw SAMLError(.samlUnsigned, detail: "the \(what) is not signed")
        case .invalid(let code): throw SAMLError(carrying: code, detail: "the \(what)'s signature did not verify with the IdP's certificates")
        }
    }

    private func record(_ observation: SPObservation) -> Response {
        state.withLock { $0.observations.append(observation) }
        return MockHTTP.html(Self.resultPage(observation))
    }

    private func send(_ message: XMLTree, parameter: String, binding: SAMLBinding, relayState: String?, signer credential: SigningCredential?) throws
        -> Response
    {
        let signer = credential.map { XMLSigner(credential: $0, algorithm: profile.signatureAlgorithm, digest: profile.signatureAlgorithm.digest) }
        switch try OutgoingSAMLMessage.encode(message, parameter: parameter, to: profile.idpSLOURL, binding: binding, relayState: relayState, signer: signer) {
        case .redirect(let location): return Response(status: .found, headers: [.location: location])
        case .post(let page): return MockHTTP.html(page)
        }
    }
}
