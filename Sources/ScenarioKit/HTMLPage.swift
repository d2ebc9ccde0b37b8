import CLibXML2
import Foundation
import XMLSecurity

/// What the harness reads from an HTML page: its kind (`<meta name="ih-page">`), the
/// texts marked `data-observe`, and its forms. Parsed with libxml2's HTML parser with
/// network access off; pages are data here, never run.
public struct HTMLPage: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        /// `text`, `hidden`, `checkbox`, `submit` (a named button)…
        public var type: String
        public var value: String
        public var checked = false
        public var disabled = false

        /// `name:type`, with `(checked, disabled)` for a checkbox, `=value` for a button
        /// and for a visible input the page pre-filled (never a password): what a vector
        /// records about a field, i.e. what a person is shown.
        static let prefillable: Set<String> = ["text", "email", "tel", "url", "number", "date", "search", "textarea"]

        public var summary: String {
            var s = "\(name):\(type)"
            if type == "checkbox" {
                let states = [checked ? "checked" : nil, disabled ? "disabled" : nil].compactMap { $0 }
                if !states.isEmpty { s += "(" + states.joined(separator: ",") + ")" }
            }
            if type == "submit" || (Self.prefillable.contains(type) && !value.isEmpty) { s += "=\(value)" }
            return s
        }
    }

    public struct Form: Sendable, Equatable {
        public var action: String
        public var method: String
        public var fields: [Field]

        /// Where the form is submitted from a page at `pageURL`: its action resolved against
        /// the page, or the page itself when the action is missing or empty (HTML's form
        /// submission algorithm; Django's login template writes `<form method="post">`).
        public func target(from pageURL: String) -> String {
            guard !action.isEmpty else { return pageURL }
            return URL(string: action, relativeTo: URL(string: pageURL))?.absoluteString ?? action
        }

        /// The fields a submission can send: all but unnamed buttons (a `<noscript>`
        /// Continue button, a Cancel).
        public var sent: [Field] { fields.filter { !$0.name.isEmpty } }

        /// An auto-posting SAML form: POST, only hidden fields, one of them a SAML message. A
        /// GET form would put the message in a URL, which the POST binding forbids, so it is
        /// not submitted but left on the page for the vector.
        public var isSAMLAutoPost: Bool {
            method == "post" && sent.allSatisfy { $0.type == "hidden" }
                && fields.contains { $0.name == "SAMLRequest" || $0.name == "SAMLResponse" }
        }
    }

    public var kind: String?
    /// The page submits its form as it loads (`<body onload="document.forms[0].submit()">`,
    /// as the POST binding's and OAuth form_post's pages do): what a browser's script would do.
    public var submitsOnLoad = false
    /// `<iframe src>` values: a browser loads them before the page's load event (front-
    /// channel logout pages are made of them).
    public var frames: [String] = []
    /// `<meta http-equiv="refresh" content="0;url=…">`: where the page sends the browser
    /// once it has loaded (only an immediate refresh is followed).
    public var refresh: String?
    public var title: String
    public var observed: [String: String]
    public var forms: [Form]

    public init(html: String) {
        kind = nil
        title = ""
        observed = [:]
        forms = []
        XMLLibrary.initialize()
        let bytes = Array(html.utf8)
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue)
        guard !bytes.isEmpty, let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), "page.html", "UTF-8", options)
            }
        }) else { return }
        defer { xmlFreeDoc(document) }
        walk(xmlDocGetRootElement(document), form: nil)
    }

    private mutating func walk(_ node: xmlNodePtr?, form: Int?) {
        var current = node
        while let n = current {
            var formIndex = form
            if n.pointee.type == XML_ELEMENT_NODE {
                let name = Self.name(n)
                switch name {
                case "meta" where Self.attribute(n, "name") == "ih-page":
                    kind = Self.attribute(n, "content")
                case "meta" where Self.attribute(n, "http-equiv")?.lowercased() == "refresh":
                    refresh = Self.immediateRefresh(Self.attribute(n, "content") ?? "")
                case "iframe":
                    if let src = Self.attribute(n, "src"), !src.isEmpty { frames.append(src) }
                case "title":
                    title = Self.text(n).trimmingCharacters(in: .whitespacesAndNewlines)
                case "body":
                    submitsOnLoad = Self.attribute(n, "onload")?.trimmingCharacters(in: .whitespaces) == "document.forms[0].submit()"
                case "form":
                    forms.append(Form(action: Self.attribute(n, "action") ?? "", method: (Self.attribute(n, "method") ?? "get").lowercased(), fields: []))
                    formIndex = forms.count - 1
                case "input" where formIndex != nil:
                    let type = (Self.attribute(n, "type") ?? "text").lowercased()
                    // A submit button without a name is kept (with an empty name): pressing
                    // it sends none of the buttons, which is how a form's Cancel often works.
                    if let fieldName = Self.attribute(n, "name") ?? (type == "submit" ? "" : nil) {
                        forms[formIndex!].fields.append(
                            Field(
                                name: fieldName, type: type, value: Self.attribute(n, "value") ?? "",
                                checked: Self.attribute(n, "checked") != nil, disabled: Self.attribute(n, "disabled") != nil))
                    }
                case "textarea" where formIndex != nil:
                    // Sent as its text, as a browser sends what is typed into it; a browser
                    // drops one line break right after the start tag (HTML § 13.2.6.4.7).
                    if let fieldName = Self.attribute(n, "name") {
                        var text = Self.text(n)
                        // (In Swift "\r\n" is one Character.)
                        if text.first == "\n" || text.first == "\r\n" { text.removeFirst() }
                        forms[formIndex!].fields.append(
                            Field(name: fieldName, type: "textarea", value: text, disabled: Self.attribute(n, "disabled") != nil))
                    }
                case "button" where formIndex != nil:
                    // A named submit button sends its name and value when it is the one pressed.
                    if (Self.attribute(n, "type") ?? "submit").lowercased() == "submit" {
                        forms[formIndex!].fields.append(Field(name: Self.attribute(n, "name") ?? "", type: "submit", value: Self.attribute(n, "value") ?? ""))
                    }
                default:
                    break
                }
                if let key = Self.attribute(n, "data-observe") {
                    observed[key] = Self.text(n).trimmingCharacters(in: .whitespacesAndNewlines)
                }
                walk(n.pointee.children, form: formIndex)
            }
            current = n.pointee.next
        }
    }

    /// The URL of `0;url=…` (quotes allowed); nil for a delayed refresh or none.
    static func immediateRefresh(_ content: String) -> String? {
        let parts = content.split(separator: ";", maxSplits: 1)
        guard parts.count == 2, Double(parts[0].trimmingCharacters(in: .whitespaces)) == 0 else { return nil }
        var target = parts[1].trimmingCharacters(in: .whitespaces)
        guard target.lowercased().hasPrefix("url=") else { return nil }
        target = String(target.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        return target.isEmpty ? nil : target
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) }?.lowercased() ?? ""
    }

    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { ih_xmlFree(value) }
        return String(cString: value)
    }

    private static func text(_ node: xmlNodePtr) -> String {
        guard let value = xmlNodeGetContent(node) else { return "" }
        defer { ih_xmlFree(value) }
        return String(cString: value)
    }
}
