public import IdentityCore

/// Why a login could not go on. Some end the flow with an error page (the flow itself is
/// broken or forged); others are answered to the SP through its protocol (the person was
/// refused), as `endsAtServiceProvider` says.
public enum AuthArea: ErrorArea {
    public static let codeAreas: Set<String> = ["auth"]
}
public typealias AuthError = CodedFailure<AuthArea>

extension AuthError {
    /// True for refusals the SP should hear about (its protocol's error response); false
    /// for broken flows, which only get an error page because there is no safe place to
    /// send anything.
    /// The catalogue says which: those with a SAML status (and an OAuth error) to answer with.
    public var endsAtServiceProvider: Bool {
        code.samlStatus != nil
    }
}
