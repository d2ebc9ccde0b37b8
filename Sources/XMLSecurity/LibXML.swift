import CLibXML2

/// One-time libxml2 set-up, done before the first parse from any thread.
///
/// The external entity loader is replaced by one that refuses everything, so even a code
/// path that forgot a parser option cannot make libxml2 open a file or a URL.
enum LibXML {
    static let initialized: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Copies and frees a libxml2-allocated string.
    static func take(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        defer { ih_xmlFree(pointer) }
        return String(cString: pointer)
    }

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
