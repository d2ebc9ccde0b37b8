public import IdentityCore

/// What an IdP can promise an AuthnRequest about the subject and the authentication,
/// answered as SAML core says rather than with a Success that breaks the promise:
/// a NameIDPolicy Format the SP is not configured for is `Requester`/`InvalidNameIDPolicy`
/// (§3.4.1.1), a RequestedAuthnContext this IdP cannot meet `Responder`/`NoAuthnContext`
/// (§3.3.2.2.1) — both before anyone signs in — and at the end a NameID whose value does
/// not fit its format is given the format it does fit.
public enum NameIDPolicyDecision {
    /// The class every login of this IdP is (a password, over the transport it serves).
    public static let authenticationClass = AuthnContextClass.passwordProtectedTransport

    /// The status to answer `request` with at once, or nil when it can be honoured.
    public static func refusal(of request: AuthnRequest, settings: SAMLSettings) -> SAMLStatus? {
        if let format = request.nameIDPolicyFormat, format != NameIDFormat.unspecified.rawValue, format != settings.nameIDFormat.rawValue {
            return SAMLStatus(.samlNameIDPolicyUnsupported)
        }
        if let requested = request.requestedAuthnContext, !requested.isSatisfied(by: authenticationClass) {
            return SAMLStatus(.samlAuthnContextUnsatisfiable)
        }
        return nil
    }

    /// The NameID for `subject`, or the status that refuses one. `requestedFormat` and
    /// `allowCreate` come from the request's NameIDPolicy; `hasAccount` is false for a
    /// federated person known only for this login, who has no persistent identifier here
    /// and gets none when the SP forbids creating one.
    public static func nameID(
        subject: String, settings: SAMLSettings, requestedFormat: String?, allowCreate: Bool?, hasAccount: Bool
    ) -> Result<(value: String, format: String), SAMLStatusFailure> {
        let invalid = SAMLStatusFailure(SAMLStatus(.samlNameIDPolicyUnsupported))
        var format = settings.nameIDFormat
        if format == .emailAddress, !isEmailAddress(subject) {
            // Asked for by the request, it cannot be given; configured only, the value is
            // sent as what it is rather than mislabelled.
            if requestedFormat == NameIDFormat.emailAddress.rawValue { return .failure(invalid) }
            format = .unspecified
        }
        if format == .persistent, allowCreate == false, !hasAccount { return .failure(invalid) }
        return .success((subject, format.rawValue))
    }

    /// `local@domain`: what SAML core §8.3.2 calls an addr-spec, checked loosely.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: \.isWhitespace)
    }
}

/// A SAML status as a failure value.
public struct SAMLStatusFailure: Error, Sendable {
    public let status: SAMLStatus
    public init(_ status: SAMLStatus) { self.status = status }
}
