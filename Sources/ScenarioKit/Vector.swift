/// The two layers of a vector.
///
/// - `portable`: what the harness's own parties observed, in protocol terms — each mock
///   SP's and RP's record of what reached it (ACS, status, NameID and format, attributes,
///   audiences, InResponseTo, signatures and who signed, times from the scenario's
///   start), each mock IdP's record of what it was asked. Any server that does the right
///   thing produces it; it is compared against every target (times within
///   ``timeTolerance``).
/// - `reference`: how the reference server got there — every hop, page, internal error
///   code and the server's state at the end. It is compared only when the target is
///   reset between scenarios (the embedded server, or one under test control), byte for
///   byte.
public enum Vector {
    public static let portable = "portable"
    public static let reference = "reference"

    /// How far a time in the portable layer may drift from the recorded one (seconds): a
    /// server on its own clock issues its messages a moment after the mocks' start.
    public static let timeTolerance = 10

    /// Times another server may set earlier than the reference does, by up to this many
    /// seconds: a NotBefore set back to allow for the SP's clock running behind (SAML core
    /// §2.5.1 leaves it to the IdP; SimpleSAMLphp sets it 30 s back, others up to minutes).
    public static let earlierAllowed = ["notBefore": 300]

    /// Fields of the portable layer that hold a server's own wording, not a protocol fact:
    /// OAuth's `error_description` is optional human-readable text (RFC 6749 §5.2), so
    /// another server's is not compared (the `error` code is). A reproducible run (the
    /// reference server reset per scenario) compares them like everything else, since
    /// its wording is its own choice and a change to it should be seen.
    public static let wording: Set<String> = ["errorDescription"]

    /// Fields of the portable layer that only a server with a capability sends: from a
    /// target without it their absence is right, so a missing one is not compared — but
    /// one that is there is (a wrong `iss` on an error response still shows).
    public static let optionalFields: [String: Capability] = ["issuerParameter": .issParameter]

    /// What may be missing from the portable layer of a target with `capabilities`.
    public static func mayBeAbsent(for capabilities: Set<Capability>) -> Set<String> {
        Set(optionalFields.filter { !capabilities.contains($0.value) }.keys)
    }
}
