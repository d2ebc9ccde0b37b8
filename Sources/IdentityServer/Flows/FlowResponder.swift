import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import SAML

/// Turns the engine's outcomes into HTTP responses: pages, protocol responses and the
/// cookies the engine asked the browser to keep.
struct FlowResponder: Sendable {
    let runtime: ServerRuntime
    let protocols: [String: any InboundFlowResponder]

    init(runtime: ServerRuntime, protocols: [any InboundFlowResponder]) {
        self.runtime = runtime
        self.protocols = Dictionary(uniqueKeysWithValues: protocols.map { ($0.protocolName, $0) })
    }

    func respond(_ outcome: FlowOutcome) async throws -> Response {
        var response: Response
        switch outcome.action {
        case .login(let page):
            response = runtime.pages.login(page)
        case .claims(let page):
            response = runtime.pages.claims(page)
        case .consent(let page):
            response = runtime.pages.consent(page)
        case .provision(let page):
            response = runtime.pages.provision(page)
        case .totp(let page):
            response = runtime.pages.totp(page)
        case .changePassword(let page):
            response = runtime.pages.changePassword(page)
        case .associate(let page):
            response = runtime.pages.associate(page)
        case .federate(.redirect(let url)):
            response = Response(status: .found, headers: [.location: url])
        case .federate(.post(let url, let fields)):
            response = runtime.pages.html(
                POSTBinding.form(action: url, fields: fields.map { ($0.name, $0.value) }), status: .ok)
        case .complete(let result):
            guard let responder = protocols[result.inboundProtocol] else {
                throw AuthError(.authUnexpectedForm, detail: "no responder for protocol \(result.inboundProtocol)")
            }
            response = try await responder.complete(result)
        case .fail(let error, let flow):
            // The service provider, not the flow's ID: that ID is what the browser presents.
            runtime.logRefusal(error, at: flow.map { "a login for \($0.serviceProvider)" } ?? "a login that has ended")
            if error.endsAtServiceProvider, let flow, let responder = protocols[flow.inboundProtocol],
                let serviceProvider = try? await runtime.storage.serviceProviders.get(name: flow.serviceProvider)
            {
                response = try await responder.fail(error, storedContext: flow.inboundContext, serviceProvider: serviceProvider)
            } else {
                response = runtime.pages.error(error, status: HTTPResponse.Status(code: error.code.status))
            }
        }
        if let token = outcome.newSessionToken {
            response.setCookie(
                runtime.setting(.session, to: token, maxAge: runtime.settings.sessionLifetimeSeconds))
        }
        return response
    }
}
