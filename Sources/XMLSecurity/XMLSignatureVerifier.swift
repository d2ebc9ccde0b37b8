public import X509
import Foundation

/// The element a signature covered, re-read from exactly the bytes that were hashed.
///
/// After a signature verifies, the verifier parses the canonical form of the referenced
/// element (the octets whose digest matched) into a fresh document. Callers read only
/// this element, so nothing outside the signed content — a second assertion, a cloned
/// Response, a comment — can be seen, whatever the original document contained. This is
/// what makes signature-wrapping attacks structurally impossible rather than checked for.
public struct VerifiedElement: Sendable {
    public let element: XMLElement
    public let algorithm: SignatureAlgorithm
    public let digest: DigestAlgorithm
    /// The configured certificate whose key verified the signature.
    public let certificate: Certificate
}

/// Verifies enveloped signatures under the SAML signature profile (SAML core §5.4) with
/// only the certificates configured for the peer; keys in KeyInfo are never trusted.
public struct XMLSignatureVerifier: Sendable {
    public let trusted: [TrustedCertificate]

    public init(trusted: [TrustedCertificate]) {
        self.trusted = trusted
    }

    /// The `ds:Signature` children of `element` (normally zero or one).
    public static func signatures(of element: XMLElement) -> [XMLElement] {
        element.children("Signature", XMLNamespace.dsig)
    }

    /// Verifies the signature enveloped in `element` and returns the signed content.
    public func verify(_ element: XMLElement) throws(XMLSecurityError) -> VerifiedElement {
        let signatures = Self.signatures(of: element)
        guard let signature = signatures.first else {
            throw XMLSecurityError(.signatureMissing, field: element.localName, detail: "\(element) is not signed")
        }
        guard signatures.count == 1 else {
            throw XMLSecurityError(.signatureMultiple, field: element.localName, detail: "\(element) has \(signatures.count) signatures")
        }
        let parts = try SignatureParts(signature)

        // The Reference must point at the element enclosing the signature, by an ID that
        // names exactly one element in the document.
        guard let id = element.attribute("ID"), !id.isEmpty, parts.referenceURI == "#" + id else {
            throw XMLSecurityError(
                .signatureReferenceNotEnveloping, field: "Reference/@URI", value: parts.referenceURI,
                detail: "the signature's reference does not point at the enclosing \(element)")
        }
        let holders = element.document.elements(withID: id).count
        guard holders == 1 else {
            throw XMLSecurityError(.signatureDuplicateID, field: "ID", value: id, detail: "ID '\(id)' appears on \(holders) elements")
        }

        // SignedInfo first: until its signature verifies, nothing in it can be believed.
        let signedInfoBytes = try ExclusiveCanonicalizer.canonicalize(parts.signedInfo, inclusivePrefixes: parts.signedInfoPrefixes)
        let candidates = trusted.filter { $0.key.family == parts.algorithm.family }
        guard let signer = candidates.first(where: {
            $0.key.isValidSignature(parts.signatureValue, for: signedInfoBytes, algorithm: parts.algorithm)
        }) else {
            if candidates.isEmpty {
                throw XMLSecurityError(
                    .signatureUntrustedKey, detail: "no configured certificate has a key for \(parts.algorithm.rawValue)")
            }
            if let offered = parts.keyInfoCertificateDER, !trusted.contains(where: { $0.der == offered }) {
                throw XMLSecurityError(
                    .signatureUntrustedKey, detail: "signed with a key whose certificate is not configured for this peer")
            }
            throw XMLSecurityError(.signatureBadValue, detail: "the signature value does not verify with the configured certificate")
        }

        let signedBytes = try ExclusiveCanonicalizer.canonicalize(
            element, excluding: signature, inclusivePrefixes: parts.referencePrefixes)
        guard ConstantTime.equals(parts.digest.hash(signedBytes), parts.digestValue) else {
            throw XMLSecurityError(.signatureDigestMismatch, field: element.localName, detail: "\(element) was changed after it was signed")
        }
        let verified = try SafeXMLParser.parse(signedBytes, limits: XMLParsingLimits(maximumBytes: .max, maximumDepth: .max))
        return VerifiedElement(element: verified.root, algorithm: parts.algorithm, digest: parts.digest, certificate: signer.certificate)
    }
}

/// The pieces of one `ds:Signature`, checked against the SAML profile while read.
struct SignatureParts {
    let signedInfo: XMLElement
    let signedInfoPrefixes: [String]
    let algorithm: SignatureAlgorithm
    let referenceURI: String
    let referencePrefixes: [String]
    let digest: DigestAlgorithm
    let digestValue: [UInt8]
    let signatureValue: [UInt8]
    let keyInfoCertificateDER: [UInt8]?

    init(_ signature: XMLElement) throws(XMLSecurityError) {
        let children = signature.children
        guard children.allSatisfy({ $0.namespaceURI == XMLNamespace.dsig }),
            children.count >= 2, children.count <= 3,
            children[0].localName == "SignedInfo", children[1].localName == "SignatureValue",
            children.count == 2 || children[2].localName == "KeyInfo"
        else {
            throw XMLSecurityError(
                .signatureMalformed,
                detail: "a Signature holds SignedInfo, SignatureValue and an optional KeyInfo, nothing else (found \(children.map(\.localName)))")
        }
        signedInfo = children[0]
        guard let value = Self.base64(children[1].text) else {
            throw XMLSecurityError(.signatureMalformed, field: "SignatureValue", detail: "SignatureValue is not base64")
        }
        signatureValue = value
        keyInfoCertificateDER = children.count == 3
            ? children[2].descendantsAndSelf().first { $0.is("X509Certificate", XMLNamespace.dsig) }.flatMap { Self.base64($0.text) }
            : nil

        let info = signedInfo.children
        guard info.count >= 3, info[0].is("CanonicalizationMethod", XMLNamespace.dsig),
            info[1].is("SignatureMethod", XMLNamespace.dsig)
        else {
            throw XMLSecurityError(.signatureMalformed, detail: "SignedInfo must start with CanonicalizationMethod and SignatureMethod")
        }
        let references = info.dropFirst(2)
        guard references.allSatisfy({ $0.is("Reference", XMLNamespace.dsig) }) else {
            throw XMLSecurityError(.signatureMalformed, detail: "SignedInfo holds unexpected elements")
        }
        guard references.count == 1, let reference = references.first else {
            throw XMLSecurityError(
                .signatureMultipleReferences, detail: "the SAML profile allows exactly one Reference, found \(references.count)")
        }

        let c14n = info[0].attribute("Algorithm") ?? ""
        guard c14n == XMLTransform.exclusiveC14N else {
            throw XMLSecurityError(
                .signatureUnsupportedCanonicalization, field: "CanonicalizationMethod", value: c14n,
                detail: "only exclusive canonicalization without comments is accepted")
        }
        signedInfoPrefixes = Self.inclusivePrefixes(info[0])
        let method = info[1].attribute("Algorithm") ?? ""
        guard let algorithm = SignatureAlgorithm(uri: method) else {
            throw XMLSecurityError(.signatureUnsupportedAlgorithm, field: "SignatureMethod", value: method, detail: "unsupported signature algorithm")
        }
        self.algorithm = algorithm

        referenceURI = reference.attribute("URI") ?? ""
        let referenceChildren = reference.children
        var index = 0
        var prefixes = [String]()
        if let transforms = referenceChildren.first, transforms.is("Transforms", XMLNamespace.dsig) {
            index = 1
            let list = transforms.children
            let uris = list.map { $0.attribute("Algorithm") ?? "" }
            let allowed = [XMLTransform.envelopedSignature, XMLTransform.exclusiveC14N]
            guard list.allSatisfy({ $0.is("Transform", XMLNamespace.dsig) }), list.count <= 2,
                uris.allSatisfy(allowed.contains), uris.contains(XMLTransform.envelopedSignature), Set(uris).count == uris.count
            else {
                throw XMLSecurityError(
                    .signatureUnsupportedTransform, field: "Transform", value: uris.joined(separator: " "),
                    detail: "only the enveloped-signature transform and exclusive c14n are accepted")
            }
            if let c14nTransform = list.first(where: { $0.attribute("Algorithm") == XMLTransform.exclusiveC14N }) {
                prefixes = Self.inclusivePrefixes(c14nTransform)
            }
        } else {
            throw XMLSecurityError(
                .signatureUnsupportedTransform, field: "Transforms", detail: "the enveloped-signature transform is required")
        }
        referencePrefixes = prefixes
        guard referenceChildren.count == index + 2,
            referenceChildren[index].is("DigestMethod", XMLNamespace.dsig),
            referenceChildren[index + 1].is("DigestValue", XMLNamespace.dsig)
        else {
            throw XMLSecurityError(.signatureMalformed, detail: "Reference must hold Transforms, DigestMethod and DigestValue")
        }
        let digestURI = referenceChildren[index].attribute("Algorithm") ?? ""
        guard let digest = DigestAlgorithm(uri: digestURI) else {
            throw XMLSecurityError(.signatureUnsupportedAlgorithm, field: "DigestMethod", value: digestURI, detail: "unsupported digest")
        }
        self.digest = digest
        guard let digestValue = Self.base64(referenceChildren[index + 1].text) else {
            throw XMLSecurityError(.signatureMalformed, field: "DigestValue", detail: "DigestValue is not base64")
        }
        self.digestValue = digestValue
    }

    static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text.filter { !$0.isWhitespace }).map(Array.init)
    }

    /// The PrefixList of an `ec:InclusiveNamespaces` child, if present.
    static func inclusivePrefixes(_ method: XMLElement) -> [String] {
        guard let list = method.firstChild("InclusiveNamespaces", XMLNamespace.excC14N)?.attribute("PrefixList") else { return [] }
        return list.split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

public import IdentityCore
