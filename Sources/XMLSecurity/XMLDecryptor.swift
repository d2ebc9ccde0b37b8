public import Foundation
import CLibXML2
import Crypto
import _CryptoExtras

/// Opens an `xenc:EncryptedData` of type Element with this party's RSA key: the content
/// key from an `EncryptedKey` (RSA-OAEP), then the element (AES-CBC or AES-GCM), parsed by
/// `SafeXMLParser` in the namespace context of where it was encrypted.
///
/// Every failure — an algorithm it does not take, a key that does not unwrap, a GCM tag
/// that does not verify, CBC padding that is wrong, plaintext that is not one element —
/// is `xmlenc.decryption_failed`, and the work done depends as little as it can on which:
/// a key that does not unwrap is replaced by a random one and the content is still
/// decrypted (the RFC 3218 §2.3.2 counter-measure), and with bad CBC padding the whole
/// decrypted block sequence still goes to the parse. A peer learns "it did not open" and
/// nothing about why; the reason is the error's detail, for the log. Decrypted content is
/// not yet trusted: the caller verifies its signature. What remains — a parse that
/// succeeds goes on to a signature check, which takes longer — is why the caller only
/// lets AES-CBC through (`allowed`) where a verified signature already covers the
/// ciphertext (see `SAMLResponseValidator`).
public struct XMLDecryptor: Sendable {
    /// PKCS#1 DER of the RSA key: swift-crypto's encryption keys are not Sendable, so one
    /// is made from it for each message (a parse of a few microseconds beside RSA itself).
    let keyDER: Data

    /// The decrypted element, and how it had been encrypted.
    public struct Opened: Sendable {
        public let element: XMLElement
        public let data: DataEncryptionAlgorithm
        public let keyTransport: KeyTransportAlgorithm
    }

    /// Decrypts with the RSA key of `credential` (a server's or an SP's signing key pair,
    /// as WSO2 and most SPs use one key for both).
    public init(credential: SigningCredential) throws(XMLSecurityError) {
        guard case .rsa(let signing) = credential.key,
            (try? _RSA.Encryption.PrivateKey(derRepresentation: signing.derRepresentation)) != nil
        else {
            throw XMLSecurityError(.keyMalformed, detail: "decryption needs an RSA private key")
        }
        self.keyDER = signing.derRepresentation
    }

    /// Opens `encryptedData`, whose algorithm must be one of `allowed`. `siblingKeys`:
    /// `EncryptedKey` elements carried beside it (SAML allows them as children of
    /// `EncryptedAssertion`), tried after those in its KeyInfo — at most
    /// `maximumKeyCandidates` in all, since each costs an RSA private-key operation.
    public func open(
        _ encryptedData: XMLElement, siblingKeys: [XMLElement] = [], allowed: Set<DataEncryptionAlgorithm> = Set(DataEncryptionAlgorithm.allCases),
        limits: XMLParsingLimits = .default
    ) throws(XMLSecurityError) -> Opened {
        func refuse(_ reason: String) -> XMLSecurityError { XMLSecurityError(.decryptionFailed, detail: reason) }
        guard encryptedData.is("EncryptedData", XMLEncryptionNamespace.xenc) else { throw refuse("expected xenc:EncryptedData") }
        if let type = encryptedData.attribute("Type"), type != XMLEncryptionNamespace.elementType {
            throw refuse("EncryptedData Type \(type) is not an element")
        }
        let method = encryptedData.firstChild("EncryptionMethod", XMLEncryptionNamespace.xenc)?.attribute("Algorithm") ?? ""
        guard let algorithm = DataEncryptionAlgorithm(uri: method) else { throw refuse("unsupported data encryption algorithm '\(method)'") }
        guard allowed.contains(algorithm) else { throw refuse("\(algorithm.rawValue) is not accepted here") }
        let cipherText = try Self.cipherValue(of: encryptedData)

        let inKeyInfo = encryptedData.firstChild("KeyInfo", XMLNamespace.dsig)?.children("EncryptedKey", XMLEncryptionNamespace.xenc) ?? []
        let candidates = inKeyInfo + siblingKeys
        guard !candidates.isEmpty else { throw refuse("no EncryptedKey") }
        guard candidates.count <= Self.maximumKeyCandidates else {
            throw refuse("\(candidates.count) EncryptedKeys; at most \(Self.maximumKeyCandidates) are tried")
        }

        var failure: String?
        var unwrapped: (key: SymmetricKey, transport: KeyTransportAlgorithm)?
        var reasons = [String]()
        for candidate in candidates where unwrapped == nil {
            do {
                unwrapped = try unwrap(candidate, length: algorithm.keyBytes)
            } catch {
                reasons.append(error.detail)
            }
        }
        if unwrapped == nil { failure = "no EncryptedKey opened with this key: " + reasons.joined(separator: "; ") }
        let contentKey = unwrapped?.key ?? SymmetricKey(size: SymmetricKeySize(bitCount: algorithm.keyBytes * 8))

        let (plaintext, contentFailure) = Self.decrypt(cipherText, with: contentKey, algorithm: algorithm)
        failure = failure ?? contentFailure
        let element: XMLElement
        do {
            element = try Self.parseInContext(plaintext, of: encryptedData, limits: limits)
        } catch {
            throw refuse(failure ?? "the decrypted content is not one XML element: \(error.detail)")
        }
        guard failure == nil, let unwrapped else { throw refuse(failure ?? "no content key") }
        return Opened(element: element, data: algorithm, keyTransport: unwrapped.transport)
    }

    /// EncryptedKeys tried per message: one per recipient is the norm; a message with
    /// thousands would cost as many RSA operations.
    public static let maximumKeyCandidates = 4

    private func unwrap(_ encryptedKey: XMLElement, length: Int) throws(XMLSecurityError) -> (key: SymmetricKey, transport: KeyTransportAlgorithm) {
        func refuse(_ reason: String) -> XMLSecurityError { XMLSecurityError(.decryptionFailed, detail: reason) }
        let method = encryptedKey.firstChild("EncryptionMethod", XMLEncryptionNamespace.xenc)
        let uri = method?.attribute("Algorithm") ?? ""
        let digest = method?.firstChild("DigestMethod", XMLNamespace.dsig)?.attribute("Algorithm")
        let mgf = method?.firstChild("MGF", XMLEncryptionNamespace.xenc11)?.attribute("Algorithm")
        if let parameters = method?.firstChild("OAEPparams", XMLEncryptionNamespace.xenc), !parameters.text.isEmpty {
            throw refuse("OAEPparams (an OAEP label) is not supported")
        }
        let transport: KeyTransportAlgorithm
        switch (uri, digest, mgf) {
        case (KeyTransportAlgorithm.mgf1pURI, nil, nil), (KeyTransportAlgorithm.mgf1pURI, DigestAlgorithm.sha1.uri, nil):
            transport = .rsaOAEPMGF1P
        case (KeyTransportAlgorithm.oaep11URI, DigestAlgorithm.sha256.uri, KeyTransportAlgorithm.mgf1SHA256URI):
            transport = .rsaOAEPSHA256
        case (KeyTransportAlgorithm.oaep11URI, nil, nil), (KeyTransportAlgorithm.oaep11URI, DigestAlgorithm.sha1.uri, nil),
            (KeyTransportAlgorithm.oaep11URI, nil, KeyTransportAlgorithm.mgf1SHA1URI),
            (KeyTransportAlgorithm.oaep11URI, DigestAlgorithm.sha1.uri, KeyTransportAlgorithm.mgf1SHA1URI):
            transport = .rsaOAEPMGF1P  // xmlenc11#rsa-oaep with its defaults is the same computation
        default:
            throw refuse("unsupported key transport '\(uri)' (digest \(digest ?? "default"), MGF \(mgf ?? "default"))")
        }
        let wrapped = try Self.cipherValue(of: encryptedKey)
        let bytes: Data
        do {
            let key = try _RSA.Encryption.PrivateKey(derRepresentation: keyDER)
            bytes = try key.decrypt(wrapped, padding: transport == .rsaOAEPMGF1P ? .PKCS1_OAEP : .PKCS1_OAEP_SHA256)
        } catch {
            throw refuse("the EncryptedKey does not decrypt with this key")
        }
        guard bytes.count == length else { throw refuse("the content key has \(bytes.count) bytes, not \(length)") }
        return (SymmetricKey(data: bytes), transport)
    }

    /// The base64 CipherValue. A CipherReference (content fetched from a URI) is refused:
    /// nothing here ever dereferences a URI from a message.
    static func cipherValue(of element: XMLElement) throws(XMLSecurityError) -> [UInt8] {
        guard let data = element.firstChild("CipherData", XMLEncryptionNamespace.xenc),
            let value = data.firstChild("CipherValue", XMLEncryptionNamespace.xenc)
        else {
            throw XMLSecurityError(.decryptionFailed, detail: "\(element.localName) has no CipherData/CipherValue (CipherReference is not supported)")
        }
        guard let bytes = Data(base64Encoded: value.text.filter { !$0.isWhitespace }) else {
            throw XMLSecurityError(.decryptionFailed, detail: "\(element.localName)'s CipherValue is not base64")
        }
        return Array(bytes)
    }

    /// The decrypted content, and why it is not to be trusted when it is not. With bad
    /// CBC padding the content is still every decrypted byte, so the parse that follows
    /// does the same work as with good padding.
    static func decrypt(_ cipherText: [UInt8], with key: SymmetricKey, algorithm: DataEncryptionAlgorithm) -> (content: [UInt8], failure: String?) {
        if algorithm.isGCM {
            do {
                return (Array(try AES.GCM.open(AES.GCM.SealedBox(combined: cipherText), using: key)), nil)
            } catch {
                return ([], "AES-GCM: the content does not authenticate")
            }
        }
        guard cipherText.count >= 32, cipherText.count % 16 == 0 else {
            return ([], "AES-CBC: \(cipherText.count) bytes is not an IV and whole blocks")
        }
        let padded: [UInt8]
        do {
            padded = Array(try AES._CBC.decrypt(cipherText[16...], using: key, iv: AES._CBC.IV(ivBytes: cipherText[..<16]), noPadding: true))
        } catch {
            return ([], "AES-CBC decryption failed")
        }
        // XML Encryption §5.2: the last byte counts the padding bytes (1…16); the others
        // are arbitrary (xmlsec1 writes random ones), so only the count is checked.
        let count = Int(padded.last ?? 0)
        guard (1...16).contains(count) else { return (padded, "AES-CBC: the padding is not valid") }
        return (Array(padded.dropLast(count)), nil)
    }

    /// Parses decrypted element content as XML Encryption §4.5 says: in the context of
    /// the EncryptedData it replaces, so prefixes declared on its ancestors (an IdP that
    /// serialized the assertion without re-declaring `saml:`) still resolve. The content
    /// goes inside a wrapper declaring every namespace in scope there, through the same
    /// safe parser (no DTD can appear inside an element), and must be exactly one element.
    static func parseInContext(_ plaintext: [UInt8], of encryptedData: XMLElement, limits: XMLParsingLimits) throws(XMLSecurityError) -> XMLElement {
        var content = plaintext[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        if content.starts(with: Array("<?xml".utf8)), let end = content.firstIndex(of: UInt8(ascii: ">")) {
            content = content[(end + 1)...]
        }
        var opening = "<ih-decrypted"
        for (prefix, uri) in encryptedData.namespacesInScope() where prefix != "xml" {
            opening += prefix.map { " xmlns:\($0)=\"" } ?? " xmlns=\""
            opening += MarkupEscaping.attribute(uri) + "\""
        }
        opening += ">"
        let wrapped = Array(opening.utf8) + content + Array("</ih-decrypted>".utf8)
        let document = try SafeXMLParser.parse(wrapped, limits: limits)
        let elements = document.root.children
        let text = document.root.textChildren.trimmingCharacters(in: .whitespacesAndNewlines)
        guard elements.count == 1, text.isEmpty else {
            throw XMLSecurityError(.xmlMalformed, detail: "\(elements.count) elements and \(text.isEmpty ? "no" : "some") text, not one element")
        }
        return elements[0]
    }
}

extension XMLElement {
    /// The namespace declarations in scope at this element, innermost first, one per prefix
    /// (nil: the default namespace).
    func namespacesInScope() -> [(prefix: String?, uri: String)] {
        guard let list = xmlGetNsList(document.pointer, node) else { return [] }
        defer { ih_xmlFree(list) }
        var result = [(prefix: String?, uri: String)]()
        var index = 0
        while let ns = list[index] {
            if let uri = LibXML.string(ns.pointee.href) { result.append((LibXML.string(ns.pointee.prefix), uri)) }
            index += 1
        }
        return result
    }

    /// The text directly inside this element (not inside its child elements).
    var textChildren: String {
        var out = ""
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = LibXML.string(c.pointee.content) {
                out += content
            }
            child = c.pointee.next
        }
        return out
    }
}
