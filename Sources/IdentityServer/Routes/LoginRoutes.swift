import AuthFramework
import Hummingbird
import IdentityCore
import SAML

/// The flow's pages: `GET /authenticationendpoint/login` (resume: SSO or the login form)
/// and `POST /commonauth` (the login form's submission).
struct LoginRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime
    let responder: FlowResponder

    /// Sends the browser to a new flow's page, binding the flow to it by cookie.
    static func redirectToFlow(_ started: FlowStart, runtime: ServerRuntime) -> Response {
        var response = Response(
            status: .found, headers: [.location: "/authenticationendpoint/login?sessionDataKey=\(URLEncoding.encode(started.flowID))"])
        if let binding = started.newBrowserBinding {
            response.setCookie(runtime.setting(.browser, to: binding))
        }
        return response
    }

    /// A federated SAML IdP's LogoutRequest, or its LogoutResponse to this server's; nil
    /// for any other message: a login's Response goes to the flow, whose connector judges
    /// it (an unreadable one too, so its refusal keeps the connector's error code).
    private func federatedLogout(_ message: IncomingSAMLMessage, request: Request) async throws -> Response? {
        let received: ReceivedSAMLMessage
        do {
            received = try ReceivedSAMLMessage(message)
        } catch {
            // Only a login's Response (by POST) belongs to the flow when unreadable.
            if case .post(let form) = message, form["SAMLRequest"] == nil { return nil }
            throw error
        }
        let logout = SAMLSingleLogout(runtime: runtime)
        switch received.kind {
        case "LogoutRequest": return try await logout.requestFromIdentityProvider(received, sessionCookie: runtime.cookie(.session, of: request))
        case "LogoutResponse": return try await logout.response(received, fromUpstream: true)
        default: return nil
        }
    }

    /// Marks the one same-origin re-post of a SAML answer.
    static var repostMarker: String { "ih_repost" }

    func addRoutes(to router: Router<Context>) {
        router.get("/authenticationendpoint/login") { request, _ in
            guard let flowID = try FormBody.query(request)["sessionDataKey"] else {
                throw RequestError(.requestMissingField, field: "sessionDataKey", detail: "the login page needs a sessionDataKey")
            }
            let outcome = try await runtime.engine.resume(
                flowID: flowID, sessionToken: runtime.cookie(.session, of: request), browserBinding: runtime.cookie(.browser, of: request))
            return try await responder.respond(outcome)
        }
        // `/commonauth` takes the login page's forms (password, or the option picked) and,
        // as in WSO2, every federated IdP's answer: OAuth by GET, SAML by POST; and the
        // federated SAML IdPs' logout messages in either binding.
        router.get("/commonauth") { request, _ in
            let parameters = try FormBody.query(request)
            if parameters["SAMLRequest"] != nil || parameters["SAMLResponse"] != nil,
                let logout = try await federatedLogout(.redirect(rawQuery: request.uri.query ?? ""), request: request)
            {
                return logout
            }
            let outcome = try await runtime.engine.federatedAnswer(
                parameters, browserBinding: runtime.cookie(.browser, of: request), sessionToken: runtime.cookie(.session, of: request))
            return try await responder.respond(outcome)
        }
        // An OpenID Provider's return from RP-initiated logout (federated logout).
        router.get("/commonauth/logout") { request, _ in
            try await SAMLSingleLogout(runtime: runtime).endSessionReturned(state: try FormBody.query(request)["state"])
        }
        router.post("/commonauth") { request, context in
            var request = request
            let form = try await FormBody.read(&request)
            if form["SAMLResponse"] != nil || form["SAMLRequest"] != nil {
                // Cross-site POSTs carry no SameSite=Lax cookie: post again from here, once.
                if runtime.cookie(.browser, of: request) == nil, form[Self.repostMarker] == nil {
                    return runtime.pages.repost(form.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [(Self.repostMarker, "1")])
                }
                let fields = form.fields.filter { $0.key != Self.repostMarker }
                if let logout = try await federatedLogout(.post(form: fields), request: request) { return logout }
                let outcome = try await runtime.engine.federatedAnswer(
                    fields, browserBinding: runtime.cookie(.browser, of: request),
                    sessionToken: runtime.cookie(.session, of: request))
                return try await responder.respond(outcome)
            }
            let page = try FlowForm(form, of: request, in: runtime)
            if let option = page["idp"] {
                return try await responder.respond(
                    try await runtime.engine.chooseOption(flowID: page.flowID, csrfToken: page.csrf, option: option, browserBinding: page.browserBinding))
            }
            return try await responder.respond(
                try await runtime.engine.submitLogin(
                    flowID: page.flowID, csrfToken: page.csrf, username: page["username"] ?? "", password: page["password"] ?? "",
                    browserBinding: page.browserBinding, sessionToken: page.sessionToken, client: context.clientAddress))
        }
        // JIT-1: the provisioning page's answer.
        flowPage(router, "/authenticationendpoint/provision") { form, _ in
            guard let decision = form["decision"].flatMap(ProvisioningDecision.init(rawValue:)) else {
                throw RequestError(.requestMissingField, field: "decision", detail: "the provisioning form needs decision=approve, deny or link")
            }
            for key in form.answers.keys.sorted() where !["decision", "username", "password", "confirmation"].contains(key) {
                throw AuthError(.authUnexpectedField, field: key, detail: "the provisioning form has no such field")
            }
            return try await runtime.engine.submitProvisioning(
                flowID: form.flowID, csrfToken: form.csrf, decision: decision, username: form["username"], password: form["password"],
                confirmation: form["confirmation"], browserBinding: form.browserBinding, sessionToken: form.sessionToken)
        }
        // FE-4: the existing account's credentials, to link it (or back to provisioning).
        flowPage(router, "/authenticationendpoint/associate") { form, context in
            guard let decision = form["decision"], ["link", "back"].contains(decision) else {
                throw RequestError(.requestMissingField, field: "decision", detail: "the association form needs decision=link or back")
            }
            return try await runtime.engine.submitAssociation(
                flowID: form.flowID, csrfToken: form.csrf, back: decision == "back", username: form["username"] ?? "",
                password: form["password"] ?? "", browserBinding: form.browserBinding, sessionToken: form.sessionToken,
                client: context.clientAddress)
        }
        // A new password in place of one an admin set.
        flowPage(router, "/authenticationendpoint/password") { form, _ in
            try await runtime.engine.submitPasswordChange(
                flowID: form.flowID, csrfToken: form.csrf, password: form["password"] ?? "", confirmation: form["confirmation"] ?? "",
                browserBinding: form.browserBinding, sessionToken: form.sessionToken)
        }
        // MF-1: a TOTP code.
        flowPage(router, "/authenticationendpoint/totp") { form, _ in
            try await runtime.engine.submitTOTP(
                flowID: form.flowID, csrfToken: form.csrf, code: form["code"] ?? "", browserBinding: form.browserBinding,
                sessionToken: form.sessionToken)
        }
        // CL-3: the missing mandatory claims; every other field answers a claim.
        flowPage(router, "/authenticationendpoint/claims") { form, _ in
            try await runtime.engine.submitClaims(
                flowID: form.flowID, csrfToken: form.csrf, values: form.answers, browserBinding: form.browserBinding)
        }
        // CL-4: `decision` is approve or deny; `consent.<claim>=on` keeps an optional claim.
        flowPage(router, "/authenticationendpoint/consent") { form, _ in
            guard let decision = form["decision"], ["approve", "deny"].contains(decision) else {
                throw RequestError(.requestMissingField, field: "decision", detail: "the consent form needs decision=approve or deny")
            }
            // Only the page's own fields: anything else is a forged or stale form.
            for key in form.answers.keys.sorted() where key != "decision" {
                guard key.hasPrefix(ConsentPage.fieldPrefix), form[key] == "on" else {
                    throw AuthError(.authUnexpectedField, field: key, detail: "the consent form has no such field or value")
                }
            }
            let approved = Set(form.answers.keys.filter { $0.hasPrefix(ConsentPage.fieldPrefix) }.map { String($0.dropFirst(ConsentPage.fieldPrefix.count)) })
            return try await runtime.engine.submitConsent(
                flowID: form.flowID, csrfToken: form.csrf, approve: decision == "approve", approved: approved, browserBinding: form.browserBinding)
        }
    }

    /// A flow page's form handler: the form read, the step taken, its outcome answered.
    private func flowPage(
        _ router: Router<Context>, _ path: RouterPath, _ step: @escaping @Sendable (FlowForm, Context) async throws -> FlowOutcome
    ) {
        router.post(path) { request, context in try await responder.respond(try await step(try await FlowForm.read(request, in: runtime), context)) }
    }
}
