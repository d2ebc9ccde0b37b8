import CLibXML2

/// A read view of one element of an `XMLDocument`; keeps its document alive.
public struct XMLElement: @unchecked Sendable, CustomStringConvertible {
    public let document: XMLDocument
    let node: xmlNodePtr

    init(document: XMLDocument, node: xmlNodePtr) {
        self.document = document
        self.node = node
    }

    public var localName: String { LibXML.string(node.pointee.name) ?? "" }

    public var namespaceURI: String? { LibXML.string(node.pointee.ns?.pointee.href) }

    public var prefix: String? { LibXML.string(node.pointee.ns?.pointee.prefix) }

    /// True when this element has the given local name and namespace.
    public func `is`(_ localName: String, _ namespaceURI: String) -> Bool {
        self.localName == localName && self.namespaceURI == namespaceURI
    }

    /// An attribute without a namespace (`ID`, `Destination`, …).
    public func attribute(_ name: String) -> String? {
        LibXML.take(xmlGetNoNsProp(node, name))
    }

    /// An attribute in a namespace (`xsi:type`).
    public func attribute(_ name: String, namespace: String) -> String? {
        LibXML.take(xmlGetNsProp(node, name, namespace))
    }

    /// Names of all attributes, as `{namespace}local` or `local`.
    public var attributeNames: [String] {
        var names = [String]()
        var attribute = node.pointee.properties
        while let a = attribute {
            let local = LibXML.string(a.pointee.name) ?? ""
            if let ns = LibXML.string(a.pointee.ns?.pointee.href) { names.append("{\(ns)}\(local)") } else { names.append(local) }
            attribute = a.pointee.next
        }
        return names
    }

    /// Child elements, in document order (text, comments and PIs are skipped).
    public var children: [XMLElement] {
        var result = [XMLElement]()
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { result.append(XMLElement(document: document, node: c)) }
            child = c.pointee.next
        }
        return result
    }

    public func children(_ localName: String, _ namespaceURI: String) -> [XMLElement] {
        children.filter { $0.is(localName, namespaceURI) }
    }

    public func firstChild(_ localName: String, _ namespaceURI: String) -> XMLElement? {
        children.first { $0.is(localName, namespaceURI) }
    }

    public var parent: XMLElement? {
        guard let p = node.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return XMLElement(document: document, node: p)
    }

    /// The concatenation of every descendant text node. Comments are not text, so
    /// `alice@evil.com<!---->.example.com` reads as the whole address, never a prefix.
    public var text: String {
        LibXML.take(xmlNodeGetContent(node)) ?? ""
    }

    /// This element and everything under it, in document order.
    public func descendantsAndSelf() -> [XMLElement] {
        var result = [self]
        for child in children { result.append(contentsOf: child.descendantsAndSelf()) }
        return result
    }

    /// The element's markup as it stands in its document (not canonicalized).
    public func serialized() -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, document.pointer, node, 0, 0)
        return LibXML.string(xmlBufferContent(buffer)) ?? ""
    }

    public var description: String {
        (prefix.map { "\($0):" } ?? "") + localName
    }

    /// True when both views are of the same node.
    public func isSameNode(as other: XMLElement) -> Bool { node == other.node }

    // MARK: mutation, for the signer only

    func setText(_ text: String) {
        xmlNodeSetContent(node, text)
    }
}
