import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// The device flow's verification page (RFC 8628 §3.3): a person types the user code,
/// logs in, and the device's polling then gets tokens.
///
/// The form carries a CSRF token derived from the browser-binding cookie with a per-server
/// key, so another site cannot submit a code in the person's name (the device-code
/// phishing that RFC 8628 §5.4 warns about needs the person's own click).
struct DeviceRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        router.get("/oauth2/device") { request, _ in
            let (binding, isNew) = runtime.browserBinding(request)
            let typed = try FormBody.query(request)["user_code"] ?? ""
            var response = runtime.pages.device(userCode: typed, csrfToken: csrf(binding), error: nil)
            if isNew { response.setCookie(runtime.setting(.browser, to: binding)) }
            return response
        }
        router.post("/oauth2/device") { request, _ in
            var request = request
            let form = try await FormBody.read(&request)
            let binding = runtime.cookie(.browser, of: request)
            guard let binding, FormToken(key: runtime.formKey).verify(form["csrf"], purpose: "device", binding: binding) else {
                throw AuthError(.authCSRFInvalid, field: "csrf", detail: "the form's CSRF token is missing or wrong")
            }
            let userCode = DeviceAuthorizationEndpoint.normalise(form["user_code"] ?? "")
            guard let record = try await runtime.storage.deviceAuthorizations.find(userCode: userCode), record.status == .pending,
                record.expiresAt > runtime.clock.now,
                let sp = try await runtime.storage.serviceProviders.find(.oidcClientID(record.clientID))
            else {
                return runtime.pages.device(userCode: form["user_code"] ?? "", csrfToken: csrf(binding), error: "That code is not valid or has expired.")
            }
            let started = try await runtime.engine.start(
                AuthenticationRequest(serviceProvider: sp.name, inbound: DeviceFlowContext(deviceAuthorizationID: record.id)),
                browserBinding: binding)
            return LoginRoutes<Context>.redirectToFlow(started, runtime: runtime)
        }
    }

    private func csrf(_ binding: String) -> String {
        FormToken(key: runtime.formKey).make(purpose: "device", binding: binding)
    }
}
