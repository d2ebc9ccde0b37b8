/// The error catalogue: `sp.*`, `idp.*`, `user.*` — service providers, identity providers and users.
extension ErrorCode {
    public static let spInvalidName = ErrorCode(
        "sp.invalid_name", status: 400,
        message: "The application name has a character that is not allowed.",
        summary: "SP-1: a service provider name with a character outside letters, digits, `.`, `-`, `_`, space.")
    public static let spInvalidSettings = ErrorCode(
        "sp.invalid_settings", status: 400,
        message: "An application setting is invalid.",
        summary: "A service provider setting that contradicts another or itself (e.g. default ACS not listed).")
    public static let idpInvalidSettings = ErrorCode(
        "idp.invalid_settings", status: 400,
        message: "An identity provider setting is invalid.",
        summary: "An identity provider setting that is missing, malformed or contradicts another.")
    public static let idpInUse = ErrorCode(
        "idp.in_use", status: 409,
        message: "An application still uses this identity provider.",
        summary: "An identity provider a service provider's sequence or outbound provisioning (PR-2) still names cannot be deleted.")
    public static let userReadOnly = ErrorCode(
        "user.read_only", status: 409,
        message: "This account's attributes come from its identity provider.",
        summary: "JIT-7: a JIT-provisioned user's attributes belong to the IdP (enhanced mode).")
    public static let userInvalidIdentifier = ErrorCode(
        "user.invalid_identifier", status: 400,
        message: "That does not name a user.",
        summary: "A user identifier that cannot name a user (empty, bad store or tenant).")
    public static let userInvalidClaim = ErrorCode(
        "user.invalid_claim", status: 400,
        message: "A claim value cannot be stored.",
        summary: "A claim value that cannot be stored (control characters XML cannot carry), or an unknown claim.")
    public static let userInvalidPassword = ErrorCode(
        "user.invalid_password", status: 400,
        message: "The password does not meet the password policy.",
        summary: "A password against the server's password policy (length; not the username).")
    public static let userInvalidUsername = ErrorCode(
        "user.invalid_username", status: 400,
        message: "That cannot be a username.",
        summary: "AU-9: empty, too long, or a character RFC 8265 does not allow in a username (spaces, symbols, controls, `/`).")
    public static let userUsernameMixedScripts = ErrorCode(
        "user.username_mixed_scripts", status: 400,
        message: "A username cannot mix letters of different alphabets.",
        summary: "AU-9: a username mixing scripts (Latin with a Cyrillic look-alike letter, …).")
}

extension ErrorCatalogue {
    static let accounts: [ErrorCode] = [
        .spInvalidName, .spInvalidSettings, .idpInvalidSettings, .idpInUse,
        .userReadOnly, .userInvalidIdentifier, .userInvalidClaim, .userInvalidPassword,
        .userInvalidUsername, .userUsernameMixedScripts,
    ]
}
