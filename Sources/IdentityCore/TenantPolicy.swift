/// SP-3: a non-SaaS application admits only users of its own tenant; a SaaS application
/// admits users of every tenant. One rule for every way a user reaches an application
/// (a login flow, the password grant, a refresh, userinfo), so turning SaaS off also
/// stops tokens already issued to users of other tenants.
public enum TenantPolicy {
    public static func admits(_ user: User, to serviceProvider: ServiceProvider) -> Bool {
        serviceProvider.saas || user.tenant == serviceProvider.tenant
    }
}
