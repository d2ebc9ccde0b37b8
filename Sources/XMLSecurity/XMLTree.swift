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
        out += "<" + name
        for attribute in attributes {
            out += " \(attribute.name)=\"\(MarkupEscaping.attribute(attribute.value))\""
        }
        if children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        for child in children {
            switch child {
            case .element(let e): e.write(to: &out)
            case .text(let t): out += MarkupEscaping.text(t)
            }
        }
        out += "</\(name)>"
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

    private static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#xD;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            case "\t" where quotes: out += "&#x9;"
            case "\n" where quotes: out += "&#xA;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
