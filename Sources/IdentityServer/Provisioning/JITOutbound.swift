import AuthFramework
import IdentityCore
import Provisioning

/// PR-2 "JIT outbound": the engine's account events, handed to the provisioner. A
/// blocking target that could not get the account refuses the login.
struct JITOutbound: AccountEvents {
    let provisioner: OutboundProvisioner

    func federatedLogin(_ user: User, changed: Bool, at serviceProvider: ServiceProvider) async throws(AuthError) {
        let failure: DeliveryFailure?
        do {
            failure = try await provisioner.federatedLogin(user, changed: changed, at: serviceProvider)
        } catch {
            throw AuthError(.authProvisioningFailed, value: user.id, detail: "the provisioning queue could not be written: \(error)")
        }
        if let failure {
            throw AuthError(.authProvisioningFailed, value: user.id, detail: "a blocking target did not take the account: \(failure.message)")
        }
    }
}
