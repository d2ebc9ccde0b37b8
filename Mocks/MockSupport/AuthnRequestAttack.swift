import Foundation

/// Hostile AuthnRequests a mock SP sends on `/login?attack=…`, so a scenario (or a team
/// pointing the mock at its own IdP) can watch the IdP refuse each one. They rewrite the
/// serialized request — after signing, which is the point of `tampered`.
enum AuthnRequestAttack: String, CaseIterable {
    /// An internal DTD declaring an external entity (`file:///etc/passwd`), used in Issuer:
    /// the XXE that reads files or reaches the network from a careless parser.
    case dtd
    /// Nested entities that expand to a billion copies of "lol".
    case billionLaughs = "billion-laughs"
    /// 100 nested elements inside Extensions: past any sensible depth limit.
    case deep
    /// Incompressible text in Extensions: 600 KiB on HTTP-POST; on HTTP-Redirect just enough
    /// to pass 64 KiB encoded while the URL still fits the 80 KiB headers HTTP stacks
    /// commonly accept (a longer one is refused before any IdP code runs).
    case oversized
    /// Redirect only: 1 MiB of spaces, a few KiB deflated, far past any inflate limit.
    case deflateBomb = "deflate-bomb"
    /// Needs `sign=valid`: the genuine signature, then AssertionConsumerServiceURL changed to
    /// the attacker's — the signature no longer covers what the request asks for.
    case tampered

    static let attackerACS = "https://attacker.example/acs"

    /// The rewritten request, for the binding it travels by.
    func rewrite(_ xml: String, redirect: Bool) throws(MockError) -> String {
        switch self {
        case .dtd:
            let declaration = #"<!DOCTYPE samlp:AuthnRequest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#
            return declaration + Self.withoutXMLDeclaration(try Self.beforeIssuerEnd("&xxe;", in: xml))
        case .billionLaughs:
            var entities = #"<!ENTITY lol0 "lol">"#
            for level in 1...9 {
                entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
            }
            return "<!DOCTYPE samlp:AuthnRequest [\(entities)]>"
                + Self.withoutXMLDeclaration(try Self.beforeIssuerEnd("&lol9;", in: xml))
        case .deep:
            let nested = String(repeating: "<x>", count: 100) + String(repeating: "</x>", count: 100)
            return try Self.extensions(nested, in: xml)
        case .oversized:
            return try Self.extensions("<pad>" + Self.incompressible(redirect ? 90 * 1024 : 600 * 1024) + "</pad>", in: xml)
        case .deflateBomb:
            return try Self.extensions("<pad>" + String(repeating: " ", count: 1024 * 1024) + "</pad>", in: xml)
        case .tampered:
            if let range = xml.range(of: #"AssertionConsumerServiceURL="[^"]*""#, options: .regularExpression) {
                return xml.replacingCharacters(in: range, with: "AssertionConsumerServiceURL=\"\(Self.attackerACS)\"")
            }
            return xml.replacingOccurrences(
                of: "<samlp:AuthnRequest ", with: "<samlp:AuthnRequest AssertionConsumerServiceURL=\"\(Self.attackerACS)\" ",
                options: [], range: xml.range(of: "<samlp:AuthnRequest "))
        }
    }

    static func withoutXMLDeclaration(_ xml: String) -> String {
        guard xml.hasPrefix("<?xml"), let end = xml.range(of: "?>") else { return xml }
        return String(xml[end.upperBound...])
    }

    static func extensions(_ content: String, in xml: String) throws(MockError) -> String {
        try afterIssuer("<samlp:Extensions>\(content)</samlp:Extensions>", in: xml)
    }

    /// The mock's own requests always have a `<saml:Issuer>`; without one an attack would
    /// go out harmless, which must not pass for the IdP refusing it.
    static func issuerEnd(in xml: String) throws(MockError) {
        guard xml.contains("</saml:Issuer>") else {
            throw MockError(.mockBadOption, field: "attack", detail: "the request has no <saml:Issuer> to attach the attack to")
        }
    }

    static func beforeIssuerEnd(_ text: String, in xml: String) throws(MockError) -> String {
        try issuerEnd(in: xml)
        return xml.replacingOccurrences(of: "</saml:Issuer>", with: text + "</saml:Issuer>")
    }

    static func afterIssuer(_ text: String, in xml: String) throws(MockError) -> String {
        try issuerEnd(in: xml)
        return xml.replacingOccurrences(of: "</saml:Issuer>", with: "</saml:Issuer>" + text)
    }

    /// Hex from a fixed xorshift sequence: the same bytes every run (vectors stay stable),
    /// and nothing deflate can shrink much.
    static func incompressible(_ count: Int) -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var text = ""
        text.reserveCapacity(count)
        while text.utf8.count < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            text += String(state, radix: 16)
        }
        return text
    }
}
