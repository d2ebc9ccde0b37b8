public import Foundation
import CLibXML2

/// Limits applied before and after parsing.
public struct XMLParsingLimits: Sendable {
    public var maximumBytes: Int
    public var maximumDepth: Int

    public init(maximumBytes: Int = 256 * 1024, maximumDepth: Int = 64) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
    }

    public static let `default` = XMLParsingLimits()
}

/// The only way to turn bytes into an `XMLDocument`.
///
/// Refuses, before libxml2 sees a byte: oversized input, non-UTF-8 input (byte order
/// marks, NUL bytes, another declared encoding) and any `<!DOCTYPE` or `<!ENTITY` — SAML
/// and XML-DSig never need a DTD, and refusing it outright closes XXE, parameter-entity
/// and billion-laughs attacks together. Then parses with network access off and entity
/// substitution off, and checks the tree for depth and for leftover entity references.
public enum SafeXMLParser {
    public static func parse(_ bytes: some DataProtocol, limits: XMLParsingLimits = .default) throws(XMLSecurityError)
        -> XMLDocument
    {
        _ = LibXML.initialized
        let data = [UInt8](bytes)
        guard !data.isEmpty else {
            throw XMLSecurityError(.xmlMalformed, detail: "the document is empty")
        }
        try precheck(data, limits: limits)

        guard let context = xmlNewParserCtxt() else {
            throw XMLSecurityError(.xmlMalformed, detail: "could not allocate a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_IGNORE_ENC.rawValue)
        let parsed = data.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                xmlCtxtReadMemory(context, base, Int32(buffer.count), "noname.xml", "UTF-8", options)
            }
        }
        guard let pointer = parsed, context.pointee.wellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            let message = context.pointee.lastError.message.map { String(cString: $0) }
            throw XMLSecurityError(
                .xmlMalformed, detail: "not well-formed XML: \(message?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error")")
        }
        let document = XMLDocument(pointer: pointer)
        if pointer.pointee.intSubset != nil || pointer.pointee.extSubset != nil {
            throw XMLSecurityError(.xmlDTDForbidden, detail: "a document type declaration is not allowed")
        }
        guard xmlDocGetRootElement(pointer) != nil else {
            throw XMLSecurityError(.xmlMalformed, detail: "the document has no root element")
        }
        try checkTree(xmlDocGetRootElement(pointer), depth: 1, limits: limits)
        return document
    }

    public static func parse(_ text: String, limits: XMLParsingLimits = .default) throws(XMLSecurityError) -> XMLDocument {
        try parse(Array(text.utf8), limits: limits)
    }

    private static func precheck(_ data: [UInt8], limits: XMLParsingLimits) throws(XMLSecurityError) {
        if data.count > limits.maximumBytes {
            throw XMLSecurityError(.xmlTooLarge, detail: "\(data.count) bytes exceeds the limit of \(limits.maximumBytes)")
        }
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0, 0, 0xFE, 0xFF]) {
            throw XMLSecurityError(.xmlEncodingUnsupported, detail: "UTF-16/UTF-32 input is not accepted; send UTF-8")
        }
        if data.contains(0) {
            throw XMLSecurityError(.xmlEncodingUnsupported, detail: "NUL bytes are not allowed in UTF-8 XML")
        }
        if String(validating: data, as: UTF8.self) == nil {
            throw XMLSecurityError(.xmlEncodingUnsupported, detail: "the input is not valid UTF-8")
        }
        if contains(data, "<!DOCTYPE") || contains(data, "<!ENTITY") {
            throw XMLSecurityError(.xmlDTDForbidden, detail: "a document type declaration is not allowed")
        }
        if let declared = declaredEncoding(data), !["utf-8", "utf8"].contains(declared.lowercased()) {
            throw XMLSecurityError(.xmlEncodingUnsupported, detail: "declared encoding '\(declared)' is not UTF-8")
        }
    }

    private static func contains(_ data: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard data.count >= n.count else { return false }
        for i in 0...(data.count - n.count) where data[i] == n[0] {
            if data[i..<(i + n.count)].elementsEqual(n) { return true }
        }
        return false
    }

    /// The `encoding` of a leading XML declaration, if any.
    private static func declaredEncoding(_ data: [UInt8]) -> String? {
        let start = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard data.count > start + 5, data[start..<(start + 5)].elementsEqual(Array("<?xml".utf8)) else { return nil }
        guard let end = data[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: data[start..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    private static func checkTree(_ node: xmlNodePtr?, depth: Int, limits: XMLParsingLimits) throws(XMLSecurityError) {
        guard let node else { return }
        if depth > limits.maximumDepth {
            throw XMLSecurityError(.xmlTooDeep, detail: "elements nest deeper than \(limits.maximumDepth)")
        }
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                try checkTree(c, depth: depth + 1, limits: limits)
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_ENTITY_DECL, XML_DTD_NODE:
                throw XMLSecurityError(.xmlDTDForbidden, detail: "entity references are not allowed")
            default:
                break
            }
            child = c.pointee.next
        }
    }
}
