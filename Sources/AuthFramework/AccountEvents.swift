public import IdentityCore

/// What the engine tells the server about accounts during a login, so that it can act
/// outside the flow without the engine knowing how: outbound provisioning (PR-2) forwards
/// people provisioned just in time to the application's targets.
public protocol AccountEvents: Sendable {
    /// A federated person with an account here passed an IdP step of a login at
    /// `serviceProvider`; `changed` when the account was made (JIT) or re-synced from the
    /// IdP just now. Throwing refuses the login with that error (a blocking target that
    /// could not be given the account).
    func federatedLogin(_ user: User, changed: Bool, at serviceProvider: ServiceProvider) async throws(AuthError)
}
