import CLibXML2

/// A parsed XML document owned by libxml2. Obtain one only through `SafeXMLParser`.
///
/// Not thread-safe: a document belongs to the task that parsed it. It is marked
/// `@unchecked Sendable` so a finished, no-longer-mutated document (a verified element,
/// a signed response) can be handed to another task; nothing mutates a document after
/// signing.
public final class XMLDocument: @unchecked Sendable {
    let pointer: xmlDocPtr

    init(pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The document element.
    public var root: XMLElement {
        // SafeXMLParser refuses documents without a root element, so this cannot be nil.
        XMLElement(document: self, node: xmlDocGetRootElement(pointer)!)
    }

    /// The whole document as UTF-8 text, with an XML declaration.
    public func serialized() -> String {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(pointer, &buffer, &size, "UTF-8")
        guard let buffer else { return "" }
        defer { ih_xmlFree(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(size)), as: UTF8.self)
    }

    /// Every element that carries the attribute `ID` with this value (SAML's ID attribute).
    public func elements(withID id: String) -> [XMLElement] {
        root.descendantsAndSelf().filter { $0.attribute("ID") == id }
    }
}
