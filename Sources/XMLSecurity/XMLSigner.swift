import CLibXML2
import Foundation

/// Produces enveloped XML signatures in the SAML profile: one Reference to the signed
/// element's `ID`, the enveloped-signature and exclusive-c14n transforms, exclusive c14n
/// of SignedInfo, and the signing certificate in KeyInfo.
public struct XMLSigner: Sendable {
    public let credential: SigningCredential
    public let algorithm: SignatureAlgorithm
    public let digest: DigestAlgorithm

    public init(credential: SigningCredential, algorithm: SignatureAlgorithm, digest: DigestAlgorithm) {
        self.credential = credential
        self.algorithm = algorithm
        self.digest = digest
    }

    /// Signs `element` in place. The Signature goes right after `placeAfter` (SAML wants
    /// it after `Issuer`) or, without one, becomes the first child.
    public func sign(_ element: XMLElement, placeAfter: XMLElement? = nil) throws(XMLSecurityError) {
        guard let id = element.attribute("ID"), !id.isEmpty else {
            throw XMLSecurityError(.signatureMalformed, detail: "the element to sign has no ID attribute")
        }
        let digestValue = digest.hash(try ExclusiveCanonicalizer.canonicalize(element))
        let template = signatureTemplate(referenceID: id, digestValue: Data(digestValue).base64EncodedString())
        let templateDocument = try SafeXMLParser.parse(template.serialized())

        guard let copy = xmlDocCopyNode(templateDocument.root.node, element.document.pointer, 1) else {
            throw XMLSecurityError(.signatureMalformed, detail: "could not copy the signature template")
        }
        if let placeAfter {
            xmlAddNextSibling(placeAfter.node, copy)
        } else if let first = element.node.pointee.children {
            xmlAddPrevSibling(first, copy)
        } else {
            xmlAddChild(element.node, copy)
        }
        let signature = XMLElement(document: element.document, node: copy)
        guard let signedInfo = signature.firstChild("SignedInfo", XMLNamespace.dsig),
            let signatureValue = signature.firstChild("SignatureValue", XMLNamespace.dsig)
        else {
            throw XMLSecurityError(.signatureMalformed, detail: "signature template lost its parts")
        }
        let value = try credential.key.sign(ExclusiveCanonicalizer.canonicalize(signedInfo), algorithm: algorithm)
        signatureValue.setText(Data(value).base64EncodedString())
    }

    private func signatureTemplate(referenceID: String, digestValue: String) -> XMLTree {
        XMLTree("ds:Signature", [("xmlns:ds", XMLNamespace.dsig)], children: [
            XMLTree("ds:SignedInfo", children: [
                XMLTree("ds:CanonicalizationMethod", [("Algorithm", XMLTransform.exclusiveC14N)]),
                XMLTree("ds:SignatureMethod", [("Algorithm", algorithm.uri)]),
                XMLTree("ds:Reference", [("URI", "#" + referenceID)], children: [
                    XMLTree("ds:Transforms", children: [
                        XMLTree("ds:Transform", [("Algorithm", XMLTransform.envelopedSignature)]),
                        XMLTree("ds:Transform", [("Algorithm", XMLTransform.exclusiveC14N)]),
                    ]),
                    XMLTree("ds:DigestMethod", [("Algorithm", digest.uri)]),
                    XMLTree("ds:DigestValue", text: digestValue),
                ]),
            ]),
            XMLTree("ds:SignatureValue", text: ""),
            XMLTree("ds:KeyInfo", children: [
                XMLTree("ds:X509Data", children: [XMLTree("ds:X509Certificate", text: credential.certificateBase64)])
            ]),
        ])
    }
}
