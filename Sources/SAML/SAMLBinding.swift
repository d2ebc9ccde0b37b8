public import IdentityCore
/// The bindings this implementation speaks (SAML bindings §3.4 and §3.5).
public enum SAMLBinding: String, Codable, Sendable, CaseIterable {
    case redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    case post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

    /// `redirect` / `post`, as scenario files and query parameters name them.
    public var shortName: String { self == .redirect ? "redirect" : "post" }

    public init?(shortName: String) {
        switch shortName.lowercased() {
        case "redirect": self = .redirect
        case "post": self = .post
        default: return nil
        }
    }

    /// A configuration names a binding by URI or short name (`redirect`, `post`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let binding = SAMLBinding(rawValue: raw) ?? SAMLBinding(shortName: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(raw)' is not a binding: use redirect or post")
        }
        self = binding
    }
}

/// Top-level and second-level status codes (SAML core §3.2.2.2).
public enum SAMLStatusCode {
    /// The URI of a status the error catalogue names.
    public static func uri(_ name: SAMLStatusPair.Name) -> String { "urn:oasis:names:tc:SAML:2.0:status:" + name.rawValue }

    public static let success = "urn:oasis:names:tc:SAML:2.0:status:Success"
    public static let requester = "urn:oasis:names:tc:SAML:2.0:status:Requester"
    public static let responder = "urn:oasis:names:tc:SAML:2.0:status:Responder"
    public static let versionMismatch = "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch"
    public static let authnFailed = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
    public static let requestDenied = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"
    public static let noPassive = "urn:oasis:names:tc:SAML:2.0:status:NoPassive"
    /// SAML core §3.4.1.1: a NameIDPolicy the IdP cannot honour.
    public static let invalidNameIDPolicy = "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy"
    /// SAML core §3.3.2.2.1: a RequestedAuthnContext the IdP cannot satisfy.
    public static let noAuthnContext = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"
    /// SAML core §3.7.3.2: a LogoutRequest naming a principal or session the IdP does not know.
    public static let unknownPrincipal = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal"
    /// SAML core §3.7.3.2: logout could not be propagated to every session participant.
    public static let partialLogout = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"
}

/// NameID formats (SA-5), SAML core §8.3.
public enum NameIDFormat: String, CaseIterable, Sendable, Codable {
    case unspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    case emailAddress = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    case x509SubjectName = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
    case windowsDomainQualifiedName = "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName"
    case kerberos = "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos"
    case entity = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    case persistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    case transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

    /// Accepts the full URI or its last segment (`persistent`, `emailAddress`).
    public init?(nameOrURI: String) {
        if let exact = NameIDFormat(rawValue: nameOrURI) {
            self = exact
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.hasSuffix(":" + nameOrURI) }) else { return nil }
        self = match
    }

    /// A configuration names the format by URI or last segment; an unknown one is refused
    /// with the choices.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let format = NameIDFormat(nameOrURI: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(raw)' is not a standard NameID format; use one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = format
    }

    /// Always the URI.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
