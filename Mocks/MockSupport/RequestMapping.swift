import Foundation
import IdentityCore
public import OIDC
public import StrictYAML

extension IdPProfile {
    /// Claims added to the tokens of the requests that match — the generic provider's answer
    /// to mock-oauth2-server's request mappings, so one mock gives an admin token to one
    /// client and a reader's to another, or a tenant claim to whoever asks with `tenant=…`:
    ///
    /// ```yaml
    /// requestMappings:
    ///   - match: { grant_type: client_credentials, client_id: reporting }
    ///     claims: { roles: [reporter] }
    ///   - match: { tenant: "*" }                  # any value, as long as it is sent
    ///     claims: { tenant: "{request.tenant}" }
    /// ```
    ///
    /// `match` names request parameters: those of the token request, and for a login (code
    /// or device grant) those of the authorization request too; every one must have the
    /// value given (`*`: any value). A `scope` entry matches when the request asked for
    /// that scope among others. Every matching mapping adds its claims, later ones over
    /// earlier ones; `{request.<name>}` in a string claim is the parameter's value. The
    /// claims go into the ID token, a JWT access token, userinfo and introspection, over
    /// the test user's own (never over `iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, `jti`).
    public struct RequestMapping: Decodable, Sendable {
        public var match: [String: String]
        public var claims: ConfigValue

        enum CodingKeys: String, CodingKey, CaseIterable { case match, claims }

        public init(match: [String: String], claims: ConfigValue) {
            self.match = match
            self.claims = claims
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            match = try c.decode([String: String].self, forKey: .match)
            claims = try c.decode(ConfigValue.self, forKey: .claims)
            guard !match.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .match, in: c, debugDescription: "a mapping matches at least one request parameter")
            }
            guard case .object = claims else {
                throw DecodingError.dataCorruptedError(forKey: .claims, in: c, debugDescription: "claims is an object of claim names and values")
            }
        }

        /// Whether a request with these parameters matches.
        public func matches(_ parameters: [String: String]) -> Bool {
            match.allSatisfy { name, wanted in
                guard let value = parameters[name] else { return false }
                if wanted == "*" { return true }
                if name == "scope" { return Set(value.split(separator: " ")).isSuperset(of: wanted.split(separator: " ")) }
                return value == wanted
            }
        }

        /// The claims, each `{request.<name>}` replaced by that parameter (empty if absent).
        public func claims(for parameters: [String: String]) -> [String: ClaimValue] {
            guard case .object(let pairs) = claims else { return [:] }
            return Dictionary(pairs.map { ($0.0, Self.filled($0.1, parameters)) }, uniquingKeysWith: { _, last in last })
        }

        static func filled(_ value: ConfigValue, _ parameters: [String: String]) -> ClaimValue {
            switch value {
            case .string(let text):
                // One pass over the template: a value that itself says `{request.…}` is
                // copied, never expanded again.
                var result = ""
                var rest = Substring(text)
                while let open = rest.range(of: "{request."), let close = rest[open.upperBound...].firstIndex(of: "}") {
                    result += rest[..<open.lowerBound]
                    result += parameters[String(rest[open.upperBound..<close])] ?? ""
                    rest = rest[rest.index(after: close)...]
                }
                return .string(result + rest)
            case .array(let items): return .array(items.map { filled($0, parameters) })
            case .object(let pairs):
                return .object(Dictionary(pairs.map { ($0.0, filled($0.1, parameters)) }, uniquingKeysWith: { _, last in last }))
            default: return MockIdentityProvider.claimValue(value)
            }
        }
    }
}

extension [IdPProfile.RequestMapping] {
    /// The claims of every mapping the request matches, later ones over earlier ones.
    func claims(for parameters: [String: String]) -> [String: ClaimValue] {
        var claims: [String: ClaimValue] = [:]
        for mapping in self where mapping.matches(parameters) {
            claims.merge(mapping.claims(for: parameters)) { _, new in new }
        }
        return claims
    }
}

/// The claims nothing but the issuer sets: a request mapping or a login page's JSON cannot
/// replace them.
let registeredJWTClaims: Set<String> = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]
