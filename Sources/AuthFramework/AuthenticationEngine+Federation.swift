import Foundation
import IdentityCore
import IdentityStorage

/// Federated steps (FE-1 … FE-3): the browser sent to the IdP with a state that finds
/// the flow again, the answer validated by the IdP's connector, then JIT provisioning.
extension AuthenticationEngine {
    /// Sends the person to `identityProviderName`. The state is `<flow id>.<random>`: the
    /// flow id finds the flow, the random part (compared in constant time) proves the
    /// answer belongs to this round trip. SAML keeps it within RelayState's 80 bytes.
    func startFederation(_ flow: AuthenticationFlowState, identityProviderName: String, _ serviceProvider: ServiceProvider) async throws
        -> FlowOutcome
    {
        let idp = try await storage.identityProviders.get(name: identityProviderName)
        guard idp.enabled, let connector = connectors.connector(for: idp.kind) else {
            throw AuthError(.authOptionUnavailable, value: idp.name, detail: "identity provider '\(idp.name)' is disabled or has no connector")
        }
        let state = "\(flow.id).\(random.token().prefix(24))"
        let started = try await connector.start(idp, state: state, callbackURL: settings.callbackURL())
        let token = random.token()
        _ = try await storage.flows.advance(id: flow.id) { old in
            var new = old
            new.stage = .federated
            new.federation = .init(identityProvider: idp.name, state: state, context: started.context)
            new.csrfToken = token
            return new
        }
        return FlowOutcome(action: .federate(started.redirect))
    }

    /// The flow an IdP's answer belongs to, from its `state` (OAuth) or `RelayState` (SAML).
    public static func flowID(inAnswer parameters: [String: String]) -> String? {
        guard let state = parameters["state"] ?? parameters["RelayState"], let dot = state.firstIndex(of: ".") else { return nil }
        return String(state[..<dot])
    }

    /// An IdP's answer at the callback. The flow must be waiting for it in this browser;
    /// it is taken in one compare-and-swap, so an answer is used once. The connector
    /// validates it (FE-3); an invalid answer ends the flow with an error page and
    /// nothing provisioned, a refusal at the IdP is answered to the SP.
    public func federatedAnswer(_ parameters: [String: String], browserBinding: String?, sessionToken: String?) async throws -> FlowOutcome {
        guard let flowID = Self.flowID(inAnswer: parameters) else {
            throw AuthError(.authUnexpectedAnswer, field: "state", detail: "the identity provider's answer names no login of this server")
        }
        let owned = try await ownedFlow(flowID, browserBinding: browserBinding)
        guard owned.stage == .federated, let pending = owned.federation,
            ConstantTime.equals(parameters["state"] ?? parameters["RelayState"] ?? "", pending.state)
        else {
            throw AuthError(.authUnexpectedAnswer, detail: "this login is not waiting for an identity provider's answer")
        }
        let flow = try await storage.flows.advance(id: owned.id) { old in
            guard old.federation == pending else {
                throw AuthError(.authUnexpectedAnswer, detail: "this answer was already received")
            }
            var new = old
            new.federation = nil
            new.stage = .authenticate
            return new
        }
        let serviceProvider = try await storage.serviceProviders.get(name: flow.serviceProvider)
        let idp = try await storage.identityProviders.get(name: pending.identityProvider)
        guard idp.enabled, let connector = connectors.connector(for: idp.kind) else {
            throw AuthError(.authOptionUnavailable, value: idp.name, detail: "identity provider '\(idp.name)' is disabled or has no connector")
        }
        let identity: FederatedIdentity
        do {
            identity = try await connector.finish(idp, response: parameters, context: pending.context, callbackURL: settings.callbackURL())
        } catch let error as AuthError where error.code == .authFederatedDenied {
            try await storage.flows.end(id: flow.id)
            return FlowOutcome(action: .fail(error, flow: flow.reference))
        } catch {
            try await storage.flows.end(id: flow.id)
            throw error
        }
        return try await federated(flow, identity: identity, idp: idp, serviceProvider, sessionToken: sessionToken)
    }
}
