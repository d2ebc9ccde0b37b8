public import Foundation

/// An OpenID Provider's metadata as a relying party reads it (OpenID Connect Discovery 1.0
/// §3, RFC 8414 §2): the members the specification requires must be there with the right
/// type; every other member is optional, and members nobody defined are ignored. Real
/// providers omit much of what ``DiscoveryDocument`` (what this server publishes)
/// carries, so a relying party must not read their metadata as if it were ours.
public struct ProviderMetadata: Sendable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: String
    /// Required unless the provider offers only the implicit flow; this relying party uses
    /// the code flow, so it is required here.
    public var tokenEndpoint: String
    public var jwksURI: String
    public var responseTypesSupported: [String]
    public var subjectTypesSupported: [String]
    public var idTokenSigningAlgValuesSupported: [String]

    public var userinfoEndpoint: String?
    public var introspectionEndpoint: String?
    public var revocationEndpoint: String?
    public var deviceAuthorizationEndpoint: String?
    public var endSessionEndpoint: String?
    /// RFC 9126 §5.
    public var pushedAuthorizationRequestEndpoint: String?
    public var scopesSupported: [String]?
    public var claimsSupported: [String]?
    public var grantTypesSupported: [String]?
    public var codeChallengeMethodsSupported: [String]?
    public var tokenEndpointAuthMethodsSupported: [String]?
    /// RFC 9207 §3: absent means false — the provider promises no `iss` in authorization
    /// responses.
    public var authorizationResponseIssParameterSupported: Bool

    /// Reads a discovery document; a missing or mistyped required member, or a mistyped
    /// optional one, is `discovery.invalid` naming the member.
    public init(json data: Data) throws(JOSEError) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw JOSEError(.discoveryInvalid, detail: "the discovery document is not a JSON object")
        }
        func required<T>(_ name: String, _: T.Type) throws(JOSEError) -> T {
            guard let value = object[name] else {
                throw JOSEError(.discoveryInvalid, field: name, detail: "the discovery document lacks the required member '\(name)'")
            }
            guard let typed = value as? T else {
                throw JOSEError(.discoveryInvalid, field: name, detail: "the discovery member '\(name)' has the wrong type")
            }
            return typed
        }
        func optional<T>(_ name: String, _: T.Type) throws(JOSEError) -> T? {
            guard let value = object[name], !(value is NSNull) else { return nil }
            guard let typed = value as? T else {
                throw JOSEError(.discoveryInvalid, field: name, detail: "the discovery member '\(name)' has the wrong type")
            }
            return typed
        }
        issuer = try required("issuer", String.self)
        authorizationEndpoint = try required("authorization_endpoint", String.self)
        tokenEndpoint = try required("token_endpoint", String.self)
        jwksURI = try required("jwks_uri", String.self)
        responseTypesSupported = try required("response_types_supported", [String].self)
        subjectTypesSupported = try required("subject_types_supported", [String].self)
        idTokenSigningAlgValuesSupported = try required("id_token_signing_alg_values_supported", [String].self)
        userinfoEndpoint = try optional("userinfo_endpoint", String.self)
        introspectionEndpoint = try optional("introspection_endpoint", String.self)
        revocationEndpoint = try optional("revocation_endpoint", String.self)
        deviceAuthorizationEndpoint = try optional("device_authorization_endpoint", String.self)
        endSessionEndpoint = try optional("end_session_endpoint", String.self)
        pushedAuthorizationRequestEndpoint = try optional("pushed_authorization_request_endpoint", String.self)
        scopesSupported = try optional("scopes_supported", [String].self)
        claimsSupported = try optional("claims_supported", [String].self)
        grantTypesSupported = try optional("grant_types_supported", [String].self)
        codeChallengeMethodsSupported = try optional("code_challenge_methods_supported", [String].self)
        tokenEndpointAuthMethodsSupported = try optional("token_endpoint_auth_methods_supported", [String].self)
        authorizationResponseIssParameterSupported = try optional("authorization_response_iss_parameter_supported", Bool.self) ?? false
    }

    /// An optional endpoint the relying party needs, or `discovery.endpoint_missing`
    /// naming the member.
    public func endpoint(_ keyPath: KeyPath<ProviderMetadata, String?>, named name: String) throws(JOSEError) -> String {
        guard let url = self[keyPath: keyPath] else {
            throw JOSEError(.discoveryEndpointMissing, field: name, detail: "the provider's discovery document has no \(name)")
        }
        return url
    }
}
