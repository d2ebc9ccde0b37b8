import CLibXML2

/// Exclusive XML canonicalization 1.0 (without comments) by libxml2, of one element's
/// subtree, optionally leaving out one descendant (the enveloped Signature).
///
/// libxml2 walks the whole document and asks a visibility callback about every node;
/// the callback answers "inside the target and not inside the excluded subtree". This is
/// exactly the node-set the enveloped-signature transform followed by exc-c14n defines,
/// and libxml2 then emits only the namespace declarations that set visibly uses,
/// wherever in the ancestors they were declared.
enum ExclusiveCanonicalizer {
    private struct Scope {
        let target: xmlNodePtr
        let excluded: xmlNodePtr?
    }

    private static let isVisible: xmlC14NIsVisibleCallback = { userData, node, parent in
        guard let userData, let node else { return 0 }
        let scope = userData.assumingMemoryBound(to: Scope.self).pointee
        // Namespace nodes are passed as xmlNs cast to xmlNodePtr; their element is `parent`.
        var current: xmlNodePtr? = node.pointee.type == XML_NAMESPACE_DECL ? parent : node
        while let n = current {
            if let excluded = scope.excluded, n == excluded { return 0 }
            if n == scope.target { return 1 }
            current = n.pointee.parent
        }
        return 0
    }

    static func canonicalize(
        _ element: XMLElement, excluding excluded: XMLElement? = nil, inclusivePrefixes: [String] = []
    ) throws(XMLSecurityError) -> [UInt8] {
        guard let buffer = xmlAllocOutputBuffer(nil) else {
            throw XMLSecurityError(.signatureMalformed, detail: "could not allocate a canonicalization buffer")
        }
        defer { xmlOutputBufferClose(buffer) }

        var scope = Scope(target: element.node, excluded: excluded?.node)
        var prefixes: [UnsafeMutablePointer<xmlChar>?] = inclusivePrefixes.map { prefix in
            xmlStrdup(prefix)
        }
        prefixes.append(nil)
        defer { for p in prefixes { if let p { ih_xmlFree(p) } } }

        let status = withUnsafeMutablePointer(to: &scope) { scopePointer in
            prefixes.withUnsafeMutableBufferPointer { prefixBuffer in
                xmlC14NExecute(
                    element.document.pointer, isVisible, scopePointer,
                    Int32(XML_C14N_EXCLUSIVE_1_0.rawValue),
                    inclusivePrefixes.isEmpty ? nil : prefixBuffer.baseAddress, 0, buffer)
            }
        }
        guard status >= 0, let content = xmlOutputBufferGetContent(buffer) else {
            throw XMLSecurityError(.signatureMalformed, detail: "canonicalization failed")
        }
        let size = Int(xmlOutputBufferGetSize(buffer))
        return Array(UnsafeBufferPointer(start: content, count: size))
    }
}
