public import IdentityCore

/// The ACS URL a Response goes to, and why (SA-2, SA-3, SA-4).
public struct ACSChoice: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// The request named no ACS: the SP's default (SA-3a, SA-4).
        case `default`
        /// The request named a registered ACS (SA-3b, SA-4).
        case registered
        /// The request named an unregistered ACS and its signature verified with the SP's
        /// certificate, which vouches for it (SA-3c).
        case signedRequest
    }

    public let url: String
    public let reason: Reason

    public init(url: String, reason: Reason) {
        self.url = url
        self.reason = reason
    }
}

/// Whether the request carried a signature and whether it verified with the SP's
/// certificate.
public enum RequestSignatureStatus: Sendable, Equatable {
    case absent
    case valid
    case invalid(ErrorCode)
}

/// Chooses where a Response may be posted. It never returns a URL that is neither
/// registered nor vouched for by a verified signature, so a refused request can never
/// send the browser to an unregistered URL.
public enum AssertionConsumerServiceSelector {
    /// SA-3: SP-initiated.
    public static func forRequest(
        url requested: String?, index: Int?, settings: SAMLSettings, signature: RequestSignatureStatus
    ) throws(SAMLError) -> ACSChoice {
        guard let defaultURL = settings.effectiveDefaultACSURL else {
            throw SAMLError(.samlNoACSConfigured, detail: "the service provider has no ACS URL")
        }
        if let requested {
            if settings.acsURLs.contains(requested) { return ACSChoice(url: requested, reason: .registered) }
            if signature == .valid {
                guard EndpointURL.isAbsoluteHTTP(requested) else {
                    throw SAMLError(
                        .samlACSInvalid, field: "AssertionConsumerServiceURL", value: requested,
                        detail: "a signed request may name an unregistered ACS URL only if it is an absolute http(s) URL")
                }
                return ACSChoice(url: requested, reason: .signedRequest)
            }
            let why = switch signature {
            case .absent: "the request is not signed"
            case .invalid(let code): "the request's signature did not verify (\(code))"
            case .valid: ""
            }
            throw SAMLError(
                .samlACSNotRegistered, field: "AssertionConsumerServiceURL", value: requested,
                detail: "the ACS URL is not registered for this service provider and \(why)")
        }
        // AssertionConsumerServiceIndex names an endpoint of the SP's metadata by its
        // `index` attribute (often numbered from 1), never by its position in a list.
        if let index {
            guard let url = settings.acsURL(index: index) else {
                let known = (settings.acsIndexes ?? []).map { String($0.index) }
                throw SAMLError(
                    .samlACSIndexUnknown, field: "AssertionConsumerServiceIndex", value: String(index),
                    detail: known.isEmpty
                        ? "the service provider's ACS URLs have no indexes (register them with acsIndexes, or from metadata)"
                        : "the service provider's ACS indexes are \(known.joined(separator: ", "))")
            }
            return ACSChoice(url: url, reason: .registered)
        }
        return ACSChoice(url: defaultURL, reason: .default)
    }

    /// SA-4: IdP-initiated (`/samlsso?spEntityID=…&acs=…`): only registered URLs, ever.
    public static func forUnsolicited(url requested: String?, settings: SAMLSettings) throws(SAMLError) -> ACSChoice {
        guard let defaultURL = settings.effectiveDefaultACSURL else {
            throw SAMLError(.samlNoACSConfigured, detail: "the service provider has no ACS URL")
        }
        guard let requested else { return ACSChoice(url: defaultURL, reason: .default) }
        guard settings.acsURLs.contains(requested) else {
            throw SAMLError(
                .samlACSNotRegistered, field: "acs", value: requested,
                detail: "IdP-initiated SSO only posts to a registered ACS URL")
        }
        return ACSChoice(url: requested, reason: .registered)
    }
}
