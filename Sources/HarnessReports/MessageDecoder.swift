import IdentityCore
import Foundation
import SAML

/// One readable part of an HTTP exchange, for the report's "decoded on click" panel.
public struct DecodedPart: Sendable, Equatable, Codable {
    public let title: String
    public let body: String
}

/// Turns what travelled in an exchange into what a person reads: query and form
/// parameters, SAML messages (base64, and DEFLATE for the Redirect binding) as XML, JWTs
/// as header and payload JSON, JSON bodies pretty-printed.
///
/// Secrets never reach a report: values of fields named like a password or a client
/// secret are blanked wherever they appear (the harness's test credentials are public,
/// but a report is an artifact people forward, and the rule is simpler without
/// exceptions).
enum MessageDecoder {
    static let redacted = "(redacted)"

    /// Parameter and JSON field names whose values are secrets.
    static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("password") || lower.contains("secret") || lower == "sectoken"
    }

    static func parts(query: String?, form: [(String, String)]?, body: String?, contentType: String?) -> [DecodedPart] {
        var parts = [DecodedPart]()
        if let query, !query.isEmpty {
            let pairs = URLEncoding.pairs(query).map { ($0.name, $0.value) }
            parts.append(DecodedPart(title: "query parameters", body: listing(pairs)))
            parts += messages(in: pairs, redirect: true)
        }
        if let form {
            parts.append(DecodedPart(title: "form fields", body: listing(form)))
            parts += messages(in: form, redirect: false)
        } else if let body, !body.isEmpty {
            if contentType?.contains("x-www-form-urlencoded") == true {
                let pairs = URLEncoding.pairs(body).map { ($0.name, $0.value) }
                parts.append(DecodedPart(title: "form fields", body: listing(pairs)))
                parts += messages(in: pairs, redirect: false)
            } else if let json = prettyJSON(body) {
                parts.append(DecodedPart(title: "JSON", body: json.text))
                parts += json.tokens.compactMap { jwt($0.value, title: $0.name) }
            } else if contentType?.contains("html") != true {
                parts.append(DecodedPart(title: "body", body: String(body.prefix(16 * 1024))))
            }
        }
        return parts
    }

    private static func listing(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0) = \(isSecret($0.0) ? redacted : $0.1)" }.joined(separator: "\n")
    }

    private static func messages(in pairs: [(String, String)], redirect: Bool) -> [DecodedPart] {
        pairs.compactMap { name, value in
            if name == "SAMLRequest" || name == "SAMLResponse" {
                return saml(value, title: name, inflate: redirect)
            }
            return isSecret(name) ? nil : jwt(value, title: name)
        }
    }

    /// A SAML message as XML: base64, inflated first when it came by Redirect.
    static func saml(_ value: String, title: String, inflate: Bool) -> DecodedPart? {
        guard let data = Data(base64Encoded: value, options: .ignoreUnknownCharacters) else { return nil }
        var bytes = [UInt8](data)
        if inflate {
            guard let inflated = try? Deflate.decompress(bytes, limit: 1024 * 1024) else { return nil }
            bytes = inflated
        }
        let xml = String(decoding: bytes, as: UTF8.self)
        return DecodedPart(title: "\(title) (\(inflate ? "Redirect binding: base64 + DEFLATE" : "base64")) as XML", body: XMLIndenter.indent(xml))
    }

    /// A compact JWS as its header and payload (the signature is not shown: it is bytes).
    static func jwt(_ value: String, title: String) -> DecodedPart? {
        let segments = value.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 || segments.count == 5, let header = base64URL(segments[0]),
            let headerJSON = prettyJSON(header), header.contains("\"alg\"")
        else { return nil }
        guard segments.count == 3 else {
            return DecodedPart(title: "\(title) (JWE: encrypted)", body: "header:\n\(headerJSON.text)")
        }
        let payload = base64URL(segments[1]).flatMap(prettyJSON)?.text ?? "(payload is not JSON)"
        return DecodedPart(title: "\(title) (JWT)", body: "header:\n\(headerJSON.text)\n\npayload:\n\(payload)")
    }

    private static func base64URL(_ segment: Substring) -> String? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Pretty JSON with secret fields blanked, and the string values that may be tokens.
    static func prettyJSON(_ text: String) -> (text: String, tokens: [(name: String, value: String)])? {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            object is [String: Any] || object is [Any]
        else { return nil }
        var tokens = [(name: String, value: String)]()
        let cleaned = redact(object, tokens: &tokens)
        guard let pretty = try? JSONSerialization.data(withJSONObject: cleaned, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return (String(decoding: pretty, as: UTF8.self), tokens)
    }

    private static func redact(_ value: Any, tokens: inout [(name: String, value: String)]) -> Any {
        if let object = value as? [String: Any] {
            var result = [String: Any]()
            for (key, inner) in object {
                if isSecret(key) {
                    result[key] = redacted
                } else {
                    if let text = inner as? String, text.split(separator: ".").count >= 2 { tokens.append((key, text)) }
                    result[key] = redact(inner, tokens: &tokens)
                }
            }
            return result
        }
        if let array = value as? [Any] { return array.map { redact($0, tokens: &tokens) } }
        return value
    }
}

/// Indents XML for reading: one element per line, two spaces per level. It is a display
/// aid, not a serializer — text and attributes are left exactly as they came.
enum XMLIndenter {
    static func indent(_ xml: String) -> String {
        var lines = [String]()
        var depth = 0
        // Whether the last line ends in an element's text: its closing tag then joins it.
        var afterText = false
        var index = xml.startIndex
        while index < xml.endIndex {
            if xml[index] == "<" {
                guard let close = xml[index...].firstIndex(of: ">") else {
                    lines.append(String(repeating: "  ", count: depth) + xml[index...])
                    break
                }
                let tag = String(xml[index...close])
                if tag.hasPrefix("</") {
                    depth = max(0, depth - 1)
                    if afterText, !lines.isEmpty {
                        lines[lines.count - 1] += tag
                    } else {
                        lines.append(String(repeating: "  ", count: depth) + tag)
                    }
                } else {
                    lines.append(String(repeating: "  ", count: depth) + tag)
                    if !tag.hasSuffix("/>") && !tag.hasPrefix("<?") && !tag.hasPrefix("<!") { depth += 1 }
                }
                afterText = false
                index = xml.index(after: close)
            } else {
                let next = xml[index...].firstIndex(of: "<") ?? xml.endIndex
                let text = xml[index..<next].trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty {
                    if lines.isEmpty { lines.append(text) } else { lines[lines.count - 1] += text }
                    afterText = true
                }
                index = next
            }
        }
        return lines.joined(separator: "\n")
    }
}
