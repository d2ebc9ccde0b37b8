import Foundation

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
        ("pkce-required", "PKCE can be made mandatory for a client, and is for public clients (OA-3)"),
        ("refresh-rotation", "a refresh token is replaced at each use and the old one refused (OA-7)"),
        ("code-reuse-revokes", "a reused authorization code also revokes the tokens issued from it (RFC 6749 §4.1.2's SHOULD, OA-7)"),
        ("prompt-none", "prompt=none is answered without any page: login_required or a silent login (OIDC Core §3.1.2.1)"),
        ("introspection", "token introspection (RFC 7662), named in discovery"),
        ("revocation", "token revocation (RFC 7009), named in discovery"),
        ("iss-parameter", "authorization responses carry iss (RFC 9207), as discovery promises"),
        ("form-post-response-mode", "response_mode=form_post (OAuth 2.0 Form Post Response Mode)"),
        ("private-key-jwt", "clients authenticate with a signed JWT (private_key_jwt, OIDC Core §9)"),
        ("jwt-bearer-grant", "the JWT bearer authorization grant from a trusted identity provider (RFC 7523 §2.1, OA-2)"),
        ("saml2-bearer-grant", "the SAML 2.0 bearer authorization grant from a trusted identity provider (RFC 7522 §2.1, OA-2)"),
        ("token-exchange", "token exchange between registered clients (RFC 8693, OA-2)"),
        ("signed-request-objects", "authorization requests as request objects signed by the application's key, required per client (RFC 9101, SP-2)"),
        ("pushed-authorization-requests", "pushed authorization requests with one-time request_uris, required per client (RFC 9126)"),
        ("federation", "logs people in through an external identity provider (FE-1)"),
        ("jit", "just-in-time provisioning of federated people (JIT-1)"),
        ("consent-prompt", "asks the person to consent to the claims an application receives (CL-4)"),
        ("partial-consent", "on the consent page the person may withhold optional claims (CL-4)"),
        ("mandatory-claims-prompt", "asks the person for mandatory claims the account lacks (CL-3)"),
        ("account-lock", "locks an account after failed password checks (AU-7)"),
        ("request-path-authentication", "credentials sent with the initial request (AU-4)"),
        ("totp", "TOTP as a second factor (MF-1)"),
        ("ecdsa-signing", "signs SAML messages with an ECDSA key (SA-6)"),
        ("assertion-encryption", "encrypts SAML assertions for an SP's certificate with the configured algorithms (SA-8)"),
        ("assertion-decryption", "decrypts the EncryptedAssertions of a federated SAML IdP, then validates them as plaintext ones (SA-8)"),
        ("single-logout", "SAML single logout: an SP's LogoutRequest ends the session and reaches the session's other SPs (SA-10)"),
        ("idp-initiated-logout", "SAML single logout started at the IdP, WSO2's `/samlsso?slo=true&spEntityID=…` (SA-10)"),
        ("federated-logout", "a session from a federated SAML IdP is logged out there too, and the IdP's own LogoutRequests end it (SA-10)"),
        ("oidc-back-channel-logout", "OpenID Connect Back-Channel Logout 1.0: a signed logout token with sid to each RP of an ended session (OA-8)"),
        ("oidc-front-channel-logout", "OpenID Connect Front-Channel Logout 1.0: the RPs' logout URLs in iframes, with iss and sid (OA-8)"),
        ("sessions-api", "a person lists and ends their own SSO sessions, an admin anyone's, and the applications are told (AU-8)"),
        ("session-token-revocation", "tokens issued from an SSO session stop working when it ends (OA-8)"),
        ("scim", "a SCIM 2.0 service provider for users and groups (RFC 7643/7644, PR-1)"),
        ("outbound-provisioning", "accounts are provisioned to an application's SCIM 2.0 targets, blocking or queued and retried (PR-2)"),
        // What the harness can do to the server, rather than what the server implements:
        // a scenario that needs one of these is not applicable where the harness cannot.
        ("clock-control", "the harness moves the server's clock (`advance` steps): test control"),
        ("server-settings", "the harness changes server-wide settings per scenario (`server:`): test control"),
        ("reference-admin-api", "the harness calls the reference server's admin API directly (`admin` steps)"),
        ("server-internals", "the harness reads server state no API exposes (`needs: [internals]`): the embedded server only"),
        ("reference-urls", "steps call the reference server's own URLs (`{server}/commonauth`, `{server}/oauth2/…`): a target described without page rules"),
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
    public static let clockControl = Capability(uncheckedName: "clock-control")
    public static let serverSettings = Capability(uncheckedName: "server-settings")
    public static let referenceAdminAPI = Capability(uncheckedName: "reference-admin-api")
    public static let serverInternals = Capability(uncheckedName: "server-internals")
    public static let referenceURLs = Capability(uncheckedName: "reference-urls")
    public static let partialConsent = Capability(uncheckedName: "partial-consent")
    public static let issParameter = Capability(uncheckedName: "iss-parameter")
    public static let outboundProvisioning = Capability(uncheckedName: "outbound-provisioning")

    /// What the harness does to a server rather than what the server implements: a target
    /// file cannot claim them; the target has them or not by how it is reached.
    public static let harnessControls: Set<Capability> = [.clockControl, .serverSettings, .referenceAdminAPI, .serverInternals, .referenceURLs]

    /// What a scenario's own text needs: the harness's control over the server, and what
    /// its steps ask of the server (withholding a claim needs `partial-consent`).
    public static func implied(bySteps scenario: Scenario) -> Set<Capability> {
        var needs = Set<Capability>()
        if scenario.needs.contains(.internals) { needs.insert(.serverInternals) }
        if scenario.server != nil { needs.insert(.serverSettings) }
        for step in scenario.steps {
            switch step {
            case .advance: needs.insert(.clockControl)
            case .admin: needs.insert(.referenceAdminAPI)
            // A path on the server is the reference server's URL layout; the SSO service
            // is `{server.sso}` and IdP-initiated SSO an `unsolicited` step on any server.
            case .visit(let url) where url.hasPrefix("{server}/"): needs.insert(.referenceURLs)
            case .post(let url, _) where url.hasPrefix("{server}/"): needs.insert(.referenceURLs)
            case .answer(.consent(_, let withhold)) where !withhold.isEmpty: needs.insert(.partialConsent)
            default: break
            }
        }
        return needs
    }
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
