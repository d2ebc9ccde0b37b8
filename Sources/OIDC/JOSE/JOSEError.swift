public import IdentityCore

/// Why a JWT was refused (ID tokens at a relying party, client assertions at the token
/// endpoint). Every refusal has its own code so a conformance run says exactly what broke.
public enum JOSEArea: ErrorArea {
    public static let codeAreas: Set<String> = ["jwt", "jwks", "discovery"]
}
public typealias JOSEError = CodedFailure<JOSEArea>
