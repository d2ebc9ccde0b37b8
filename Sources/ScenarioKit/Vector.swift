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
}
