import AuthFramework
import Hummingbird
import IdentityCore

/// What the device flow keeps with a flow: which device authorization the person is
/// approving (RFC 8628).
struct DeviceFlowContext: InboundFlowContext {
    static var protocolName: String { "device" }

    var deviceAuthorizationID: String
}

/// Ends device flows: the approval is recorded for the polling client.
struct DeviceFlowResponder: InboundFlowResponder {
    let runtime: ServerRuntime

    func complete(_ result: AuthenticationResult, context: DeviceFlowContext) async throws -> Response {
        try await runtime.storage.deviceAuthorizations.update(id: context.deviceAuthorizationID) { old in
            var new = old
            if old.status == .pending {
                new.status = .approved
                new.userID = result.user.id
                new.subject = result.subject
                new.authTime = result.authenticatedAt
            }
            return new
        }
        return runtime.pages.message(page: "device-approved", title: "Device connected", message: "You can return to your device.")
    }

    func fail(_ error: AuthError, context: DeviceFlowContext, serviceProvider: ServiceProvider) async throws -> Response {
        try await runtime.storage.deviceAuthorizations.update(id: context.deviceAuthorizationID) { old in
            var new = old
            if old.status == .pending { new.status = .denied }
            return new
        }
        return runtime.pages.error(error, status: .forbidden)
    }
}
