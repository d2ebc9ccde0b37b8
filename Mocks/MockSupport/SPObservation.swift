/// What a mock SP saw: one entry per Response received at its ACS, and per logout message
/// at its SLO endpoint, accepted or refused. Recorded in scenario vectors, so every field
/// is something a person would check.
public struct SPObservation: Codable, Sendable, Equatable {
    /// The URL the message arrived at (the ACS, or the SLO endpoint).
    public var acs: String
    /// `LogoutRequest` or `LogoutResponse` for single logout; none for a Response.
    public var message: String?
    /// How a logout message came (`redirect`, `post`) and whether it was signed (`valid`,
    /// `absent`; a bad signature is a refusal, in `error`).
    public var binding: String?
    public var messageSignature: String?
    public var accepted: Bool
    /// The refusal code (e.g. `saml.audience_mismatch`, `xmldsig.digest_mismatch`).
    public var error: String?
    public var errorDetail: String?
    public var relayState: String?
    public var issuer: String?
    public var destination: String?
    public var inResponseTo: String?
    /// The Response's IssueInstant.
    public var issueInstant: String?
    /// Top-level and second-level status codes, short (`Success`, `Responder/RequestDenied`).
    public var status: String?
    /// `valid` or `absent` (an invalid signature is a refusal, in `error`).
    public var responseSignature: String?
    public var assertionSignature: String?
    /// `rsa-sha512 sha512`: signature and digest algorithm of each signature (SA-6).
    public var responseSignatureAlgorithm: String?
    public var assertionSignatureAlgorithm: String?
    /// SA-8: how the assertion was encrypted (`aes256-gcm rsa-oaep-mgf1p`); nil when it
    /// came in the clear.
    public var assertionEncryption: String?
    /// Subject of the configured IdP certificate that verified the signatures.
    public var signingCertificate: String?
    public var nameID: String?
    public var nameIDFormat: String?
    public var recipient: String?
    public var audiences: [String]?
    public var notBefore: String?
    public var notOnOrAfter: String?
    public var sessionIndex: String?
    public var authnInstant: String?
    public var attributes: [String: [String]]?

    public init(acs: String, accepted: Bool) {
        self.acs = acs
        self.accepted = accepted
    }
}
