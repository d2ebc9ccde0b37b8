/// A value-type XML element for building messages: names, attributes and children are
/// plain values, and `serialized()` escapes everything, so no caller ever concatenates
/// markup by hand. Built trees are parsed by `SafeXMLParser` before they are signed.
public struct XMLTree: Sendable {
    public enum Child: Sendable {
        case element(XMLTree)
        case text(String)
    }

    /// Qualified name, `prefix:local` or `local`.
    public var name: String
    /// In order; a nil value leaves the attribute out.
    public var attributes: [(name: String, value: String)]
    public var children: [Child]

    public init(_ name: String, _ attributes: [(String, String?)] = [], children: [XMLTree] = []) {
        self.name = name
        self.attributes = attributes.compactMap { pair in pair.1.map { (name: pair.0, value: $0) } }
        self.children = children.map(Child.element)
    }

    public init(_ name: String, _ attributes: [(String, String?)] = [], text: String) {
        self.name = name
        self.attributes = attributes.compactMap { pair in pair.1.map { (name: pair.0, value: $0) } }
        self.children = [.text(text)]
    }

    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        out.append("<")
        out.append(name)
        for attribute in attributes {
            out.append(" ")
            out.append(attribute.name)
            out.append("=\"")
            out.append(MarkupEscaping.attribute(attribute.value))
            out.append("\"")
        }
        if children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        for child in children {
            switch child {
            case .element(let e): e.write(to: &out)
            case .text(let t): out.append(MarkupEscaping.text(t))
            }
        }
        out.append("</")
        out.append(name)
        out.append(">")
    }
}

/// Escaping for XML and HTML: one place, so every page and message escapes alike.
public enum MarkupEscaping {
    /// Character data: `&`, `<`, `>` (and CR, which parsers would otherwise normalise away).
    public static func text(_ s: String) -> String {
        escape(s, quotes: false)
    }

    /// Attribute values (double- or single-quoted) and any HTML text: also quotes and the
    /// whitespace characters attribute normalisation would change.
    public static func attribute(_ s: String) -> String {
        escape(s, quotes: true)
    }

    /// Works on UTF-8 bytes: every character it replaces is ASCII, so multi-byte
    /// sequences pass through untouched. A string with nothing to replace (base64, most
    /// names and URLs) is returned as it is, without a copy: escaping the base64 of a
    /// signed SAML Response one scalar at a time was the largest cost of building its
    /// POST form after the RSA signatures.
    private static func escape(_ s: String, quotes: Bool) -> String {
        var s = s
        let escaped: String? = s.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { replacement(for: $0, quotes: quotes) != nil }) else { return nil }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                if let replaced = replacement(for: byte, quotes: quotes) {
                    replaced.withUTF8Buffer { out.append(contentsOf: $0) }
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? s
    }

    @inline(__always)
    private static func replacement(for byte: UInt8, quotes: Bool) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\r"): "&#xD;"
        case UInt8(ascii: "\""): quotes ? "&quot;" : nil
        case UInt8(ascii: "'"): quotes ? "&#39;" : nil
        case UInt8(ascii: "\t"): quotes ? "&#x9;" : nil
        case UInt8(ascii: "\n"): quotes ? "&#xA;" : nil
        default: nil
        }
    }
}
