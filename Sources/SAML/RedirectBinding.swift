public import IdentityCore
import Foundation
public import XMLSecurity

/// A message received over HTTP-Redirect (SAML bindings §3.4).
public struct RedirectMessage {
    /// `SAMLRequest` or `SAMLResponse`.
    public let parameter: String
    public let document: XMLDocument
    public let relayState: String?
    /// Present when the query carried `Signature` and `SigAlg`.
    public let signature: QuerySignature?
}

/// A query-string signature: what was signed and the claimed value.
public struct QuerySignature: Sendable {
    public let algorithm: SignatureAlgorithm
    public let value: [UInt8]
    /// `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as received.
    public let signedOctets: [UInt8]

    /// True when a configured certificate's key verifies the signature.
    public func verifies(with trusted: [TrustedCertificate]) -> Bool {
        trusted.contains { $0.key.isValidSignature(value, for: signedOctets, algorithm: algorithm) }
    }
}

/// HTTP-Redirect encoding: DEFLATE, base64, URL-encoding, optional query signature.
public enum RedirectBinding {
    /// Deflated messages are capped before and after inflating.
    public static let maximumEncodedLength = 64 * 1024
    public static let maximumInflatedLength = 256 * 1024

    /// The query string carrying `xml` as `parameter`, signed when `signer` is given.
    public static func encode(
        _ xml: String, parameter: String, relayState: String?, signer: (key: SigningKey, algorithm: SignatureAlgorithm)? = nil
    ) throws(XMLSecurityError) -> String {
        let message = Data(Deflate.compress(Array(xml.utf8))).base64EncodedString()
        var query = "\(parameter)=\(URLEncoding.encode(message))"
        if let relayState { query += "&RelayState=\(URLEncoding.encode(relayState))" }
        guard let signer else { return query }
        query += "&SigAlg=\(URLEncoding.encode(signer.algorithm.uri))"
        let signature = try signer.key.sign(Array(query.utf8), algorithm: signer.algorithm)
        return query + "&Signature=\(URLEncoding.encode(Data(signature).base64EncodedString()))"
    }

    /// Decodes `SAMLRequest` or `SAMLResponse` from a raw query string.
    public static func decode(rawQuery: String, limits: XMLParsingLimits = .default) throws(SAMLError) -> RedirectMessage {
        let pairs = URLEncoding.pairs(rawQuery)
        func first(_ name: String) -> (raw: String, value: String)? {
            pairs.first { $0.name == name }.map { ($0.raw, $0.value) }
        }
        guard let (parameter, message) = ["SAMLRequest", "SAMLResponse"].lazy.compactMap({ name in first(name).map { (name, $0) } }).first else {
            throw SAMLError(.samlMessageMissing, detail: "the query carries neither SAMLRequest nor SAMLResponse")
        }
        if message.raw.utf8.count > maximumEncodedLength {
            throw SAMLError(.samlMessageTooLarge, field: parameter, detail: "the encoded message exceeds \(maximumEncodedLength) bytes")
        }
        guard let deflated = Data(base64Encoded: message.value.filter { !$0.isWhitespace }) else {
            throw SAMLError(.samlBadBase64, field: parameter, detail: "\(parameter) is not base64")
        }
        let xml = try Deflate.decompress(Array(deflated), limit: maximumInflatedLength)
        let document: XMLDocument
        do {
            document = try SafeXMLParser.parse(xml, limits: limits)
        } catch {
            throw SAMLError(carrying: error)
        }
        let relayState = first("RelayState")

        var signature: QuerySignature?
        if let sigAlg = first("SigAlg"), let value = first("Signature") {
            guard let algorithm = SignatureAlgorithm(uri: sigAlg.value) else {
                throw SAMLError(.samlSignatureAlgorithmUnsupported, field: "SigAlg", value: sigAlg.value, detail: "unsupported SigAlg")
            }
            guard let bytes = Data(base64Encoded: value.value.filter { !$0.isWhitespace }) else {
                throw SAMLError(.samlBadBase64, field: "Signature", detail: "Signature is not base64")
            }
            var signed = "\(parameter)=\(message.raw)"
            if let relayState { signed += "&RelayState=\(relayState.raw)" }
            signed += "&SigAlg=\(sigAlg.raw)"
            signature = QuerySignature(algorithm: algorithm, value: Array(bytes), signedOctets: Array(signed.utf8))
        } else if first("Signature") != nil || first("SigAlg") != nil {
            throw SAMLError(.samlQuerySignatureInvalid, detail: "Signature and SigAlg must be sent together")
        }
        return RedirectMessage(parameter: parameter, document: document, relayState: relayState?.value, signature: signature)
    }
}
