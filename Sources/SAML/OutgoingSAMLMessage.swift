public import XMLSecurity

/// A request or response this party sends through the browser, encoded for its binding
/// (SAML bindings §3.4, §3.5) and signed when a signer is given: the Location of a
/// redirect with a query-string signature, or an auto-posting form carrying a message
/// with an enveloped signature after its Issuer.
public enum OutgoingSAMLMessage: Sendable, Equatable {
    case redirect(location: String)
    case post(page: String)

    /// `frames`: pages the browser loads (hidden iframes) before the form posts itself, as a
    /// browser fires `onload` only after them (OIDC front-channel logout on the last page).
    public static func encode(
        _ message: XMLTree, parameter: String, to url: String, binding: SAMLBinding, relayState: String?, signer: XMLSigner?,
        frames: [String] = []
    ) throws(XMLSecurityError) -> OutgoingSAMLMessage {
        switch binding {
        case .redirect:
            let query = try RedirectBinding.encode(
                message.serialized(), parameter: parameter, relayState: relayState, signer: signer.map { ($0.credential.key, $0.algorithm) })
            return .redirect(location: url + (url.contains("?") ? "&" : "?") + query)
        case .post:
            let xml = try enveloped(message, signer: signer)
            return .post(page: POSTBinding.form(action: url, parameter: parameter, xml: xml, relayState: relayState, frames: frames))
        }
    }

    /// The message as HTTP-POST carries it: XML with an enveloped signature after its
    /// Issuer when a signer is given (also what a back-channel POST sends).
    public static func enveloped(_ message: XMLTree, signer: XMLSigner?) throws(XMLSecurityError) -> String {
        guard let signer else { return message.serialized() }
        let document = try SafeXMLParser.parse(message.serialized())
        try signer.sign(document.root, placeAfter: document.root.firstChild("Issuer", XMLNamespace.saml))
        return document.serialized()
    }
}
