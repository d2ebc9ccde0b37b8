/// Tenants: users name theirs as `user@tenant`; no suffix means the super tenant (SP-3).
public enum Tenant {
    public static let superTenant = "carbon.super"
}

/// User stores: `PRIMARY` unless the login names another as `STORE/user`.
public enum UserStoreName {
    public static let primary = "PRIMARY"
    /// Where people without an account live while they are signed in (JIT mode `none`,
    /// or as an IdP presented them): never a real store, and no IdP or store may take
    /// the name.
    public static let federated = "FEDERATED"
}
