public import Foundation

/// Something an identity server may or may not implement. A target file lists what its
/// server does (`capabilities:`), a scenario what it needs (`requires:`, plus what its
/// parties imply: a SAML SP party needs `saml-idp`); a scenario whose needs the target
/// lacks is *not applicable* there — reported as such, apart from skipped and failed runs,
/// since a server that has no IdP-initiated SSO is not wrong about it.
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let name: String

    public var description: String { name }

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.name < rhs.name }

    /// Every capability the suite knows, with what it means (`harness coverage` lists them).
    public static let catalogue: [(name: String, meaning: String)] = [
        ("saml-idp", "SAML 2.0 Web SSO identity provider: SP-initiated AuthnRequests by HTTP-Redirect and HTTP-POST"),
        ("idp-initiated", "unsolicited SAML SSO started at the IdP (SA-4)"),
        ("acs-from-signed-request", "a signed AuthnRequest may name an ACS URL that is not registered (SA-3)"),
        ("request-signature-validation", "AuthnRequest signatures are verified when the SP asks for it (SA-7)"),
        ("oidc-op", "OAuth 2.0 authorization server and OpenID Provider"),
        ("device-flow", "OAuth 2.0 device authorization grant (RFC 8628)"),
        ("federation", "logs people in through an external identity provider (FE-1)"),
        ("jit", "just-in-time provisioning of federated people (JIT-1)"),
        ("consent-prompt", "asks the person to consent to the claims an application receives (CL-4)"),
        ("mandatory-claims-prompt", "asks the person for mandatory claims the account lacks (CL-3)"),
        ("account-lock", "locks an account after failed password checks (AU-7)"),
        ("request-path-authentication", "credentials sent with the initial request (AU-4)"),
        ("totp", "TOTP as a second factor (MF-1)"),
    ]

    public static let all: Set<Capability> = Set(catalogue.map { Capability(uncheckedName: $0.name) })

    init(uncheckedName name: String) {
        self.name = name
    }

    /// A known capability; nil for a name the suite does not know.
    public init?(_ name: String) {
        guard Self.catalogue.contains(where: { $0.name == name }) else { return nil }
        self.name = name
    }

    public static let samlIdP = Capability(uncheckedName: "saml-idp")
    public static let oidcOP = Capability(uncheckedName: "oidc-op")
    public static let federation = Capability(uncheckedName: "federation")
}

extension Capability: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let known = Capability(name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown capability '\(name)'; the suite knows \(Self.catalogue.map(\.name).joined(separator: ", "))")
        }
        self = known
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
