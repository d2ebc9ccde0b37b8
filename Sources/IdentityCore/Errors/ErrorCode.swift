/// A stable, documented error code such as `saml.acs_not_registered`, with everything a
/// party outside learns of it.
///
/// Codes are the contract with users and with recorded vectors: once published, a code
/// keeps its meaning. Every code is declared once, in the catalogue (`ErrorCatalogue+*.swift`
/// beside this file), with the HTTP status it is answered with, the public message a
/// person or client sees, and — for refusals an application hears through its protocol —
/// the SAML status and OAuth `error` it maps to. The details of one occurrence (the
/// error's `detail`) go to the log only.
public struct ErrorCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    /// The HTTP status a JSON API or an error page answers with.
    public let status: Int
    /// What a person or client is told: no names, counts or internals.
    public let message: String
    /// How a SAML service provider hears of it (SAML core §3.2.2.2), when it does.
    public let samlStatus: SAMLStatusPair?
    /// The OAuth 2.0 / OIDC `error` a client hears it as, when it does.
    public let oauthError: String?
    /// The SCIM `scimType` (RFC 7644 §3.12) a SCIM client hears it as, when there is one.
    public let scimType: String?
    /// What it means, for the error table (docs/ERRORS.md).
    public let summary: String

    /// Only the catalogue declares codes.
    init(
        _ rawValue: String, status: Int, saml: SAMLStatusPair? = nil, oauth: String? = nil, scim: String? = nil, message: String, summary: String
    ) {
        self.rawValue = rawValue
        self.status = status
        self.message = message
        self.samlStatus = saml
        self.oauthError = oauth
        self.scimType = scim
        self.summary = summary
    }

    /// The catalogued code with this value; a value the catalogue lacks (a peer's code,
    /// an old record) keeps its text with a 400 and a generic message.
    public init(rawValue: String) {
        self = ErrorCatalogue.code(rawValue) ?? ErrorCode(
            rawValue, status: 400, message: ErrorCatalogue.genericMessage, summary: "(not in the catalogue)")
    }

    /// The part before the first dot (`saml`): which module's errors it belongs with.
    public var area: Substring { rawValue.prefix { $0 != "." } }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public static func == (lhs: ErrorCode, rhs: ErrorCode) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public var description: String { rawValue }
}

/// A SAML status code and its second-level code (SAML core §3.2.2.2), by their last
/// segment (`Responder`, `RequestDenied`); the SAML module writes the URIs.
public struct SAMLStatusPair: Hashable, Sendable {
    public enum Name: String, Sendable {
        case requester = "Requester", responder = "Responder"
        case requestDenied = "RequestDenied", noPassive = "NoPassive", authnFailed = "AuthnFailed"
        case invalidNameIDPolicy = "InvalidNameIDPolicy", noAuthnContext = "NoAuthnContext"
        case requestVersionUnsupported = "RequestVersionUnsupported"
        case unknownPrincipal = "UnknownPrincipal"
    }

    public let top: Name
    public let second: Name?

    public init(_ top: Name, _ second: Name? = nil) {
        self.top = top
        self.second = second
    }
}
