/// The server's own claim dialect, `http://wso2.org/claims/…`.
public enum LocalClaims {
    public static let dialect = "http://wso2.org/claims"
    public static let username = "http://wso2.org/claims/username"
    public static let emailAddress = "http://wso2.org/claims/emailaddress"
    public static let givenName = "http://wso2.org/claims/givenname"
    public static let lastName = "http://wso2.org/claims/lastname"
    public static let country = "http://wso2.org/claims/country"
    public static let mobile = "http://wso2.org/claims/mobile"
    public static let role = "http://wso2.org/claims/role"

    /// Accepts a short name (`emailaddress`) where a local claim URI is expected, so YAML
    /// files can stay short; a full URI is returned unchanged.
    public static func uri(_ nameOrURI: String) -> String {
        nameOrURI.contains(":") || nameOrURI.contains("/") ? nameOrURI : "\(dialect)/\(nameOrURI)"
    }
}
