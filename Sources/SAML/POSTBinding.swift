import Foundation
public import XMLSecurity

/// HTTP-POST encoding (SAML bindings §3.5): base64 in a form field, delivered by an
/// auto-submitting HTML form.
public enum POSTBinding {
    public static let maximumEncodedLength = 512 * 1024

    /// An HTML page that posts `xml` as `parameter` to `action` as soon as it loads (a
    /// button does it without JavaScript). `action` is HTML-escaped; callers pass only
    /// URLs they have validated (a registered or signature-approved ACS).
    public static func form(action: String, parameter: String, xml: String, relayState: String?, frames: [String] = []) -> String {
        var fields = [(parameter, Data(xml.utf8).base64EncodedString())]
        if let relayState { fields.append(("RelayState", relayState)) }
        return form(action: action, fields: fields, frames: frames)
    }

    /// The auto-submitting page for any hidden fields (a message already encoded); `kind`
    /// is the page's `ih-page` marker; `frames` are hidden iframes loaded first.
    public static func form(action: String, fields: [(String, String)], kind: String = "saml-post", frames: [String] = []) -> String {
        let inputs = fields.map { "<input type=\"hidden\" name=\"\(MarkupEscaping.attribute($0.0))\" value=\"\(MarkupEscaping.attribute($0.1))\"/>" }.joined()
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="ih-page" content="\(MarkupEscaping.attribute(kind))"><title>Continue</title></head>
            <body onload="document.forms[0].submit()">\(hiddenFrames(frames))
            <form method="post" action="\(MarkupEscaping.attribute(action))">\(inputs)<noscript><button type="submit">Continue</button></noscript></form>
            </body></html>
            """
    }

    /// Hidden iframes for `urls` (escaped), loaded before the page's `onload` fires.
    public static func hiddenFrames(_ urls: [String]) -> String {
        urls.map { "<iframe src=\"\(MarkupEscaping.attribute($0))\" style=\"display:none\" title=\"logout\"></iframe>" }.joined()
    }

    /// Decodes a base64 form value into a safely parsed document.
    public static func decode(_ value: String, parameter: String, limits: XMLParsingLimits = .default) throws(SAMLError)
        -> XMLDocument
    {
        if value.utf8.count > maximumEncodedLength {
            throw SAMLError(.samlMessageTooLarge, field: parameter, detail: "the encoded message exceeds \(maximumEncodedLength) bytes")
        }
        guard let xml = Data(base64Encoded: value.filter { !$0.isWhitespace }) else {
            throw SAMLError(.samlBadBase64, field: parameter, detail: "\(parameter) is not base64")
        }
        do {
            return try SafeXMLParser.parse(xml, limits: limits)
        } catch {
            throw SAMLError(carrying: error)
        }
    }
}
