import IdentityCore

/// Which claims an ID token and userinfo carry (CL-8): those bound to the granted scopes
/// that the application also requests, each with a value, under their OIDC names.
///
/// OIDC names map to local claims (`email` → `http://wso2.org/claims/emailaddress`).
/// Names of the form `address.<member>` are folded into the `address` claim as a JSON
/// object (OIDC Core §5.1.1), so `address` is released when any of its members is.
public struct ClaimResolver: Sendable {
    /// OIDC claim name → local claim URI.
    public let mappings: [String: String]

    public init(mappings: [String: String] = ClaimResolver.standardMappings) {
        self.mappings = mappings
    }

    public static let standardMappings: [String: String] = [
        "name": "http://wso2.org/claims/fullname",
        "given_name": LocalClaims.givenName,
        "family_name": LocalClaims.lastName,
        "middle_name": "http://wso2.org/claims/middleName",
        "nickname": "http://wso2.org/claims/nickname",
        "preferred_username": LocalClaims.username,
        "profile": "http://wso2.org/claims/url",
        "picture": "http://wso2.org/claims/photourl",
        "website": "http://wso2.org/claims/website",
        "gender": "http://wso2.org/claims/gender",
        "birthdate": "http://wso2.org/claims/dob",
        "zoneinfo": "http://wso2.org/claims/timeZone",
        "locale": "http://wso2.org/claims/local",
        "updated_at": "http://wso2.org/claims/modified",
        "email": LocalClaims.emailAddress,
        "email_verified": "http://wso2.org/claims/emailVerified",
        "phone_number": LocalClaims.mobile,
        "phone_number_verified": "http://wso2.org/claims/phoneVerified",
        "address.formatted": "http://wso2.org/claims/addresses",
        "address.street_address": "http://wso2.org/claims/streetaddress",
        "address.locality": "http://wso2.org/claims/locality",
        "address.region": "http://wso2.org/claims/region",
        "address.postal_code": "http://wso2.org/claims/postalcode",
        "address.country": LocalClaims.country,
        "roles": LocalClaims.role,
    ]

    static let booleanClaims: Set<String> = ["email_verified", "phone_number_verified"]
    static let numericClaims: Set<String> = ["updated_at"]
    static let arrayClaims: Set<String> = ["roles"]

    /// The claims for `scopes` (by the scope table), limited to the local claims the SP
    /// releases, read from `values(localClaim)` (several for roles). `sub` is not among
    /// them: it is the subject.
    public func claims(
        scopes: [String], table: [OIDCScope], released: Set<String>, values: (String) -> [String]
    ) -> [String: ClaimValue] {
        let names = Set(table.filter { scopes.contains($0.name) }.flatMap(\.claims))
        var result = [String: ClaimValue]()
        for name in names.sorted() where name != "sub" {
            if name == "address" {
                var members = [String: ClaimValue]()
                for (oidcName, local) in mappings where oidcName.hasPrefix("address.") && released.contains(local) {
                    if let v = values(local).first { members[String(oidcName.dropFirst(8))] = .string(v) }
                }
                if !members.isEmpty { result["address"] = .object(members) }
                continue
            }
            guard let local = mappings[name], released.contains(local) else { continue }
            if Self.arrayClaims.contains(name) {
                let all = values(local)
                if !all.isEmpty { result[name] = .array(all.map(ClaimValue.string)) }
            } else if let v = values(local).first {
                result[name] = typed(name, v)
            }
        }
        return result
    }

    func typed(_ name: String, _ value: String) -> ClaimValue {
        if Self.booleanClaims.contains(name) { return .bool(value.lowercased() == "true") }
        if Self.numericClaims.contains(name), let n = Int(value) { return .number(n) }
        return .string(value)
    }
}
