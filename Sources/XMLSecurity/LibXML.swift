import CLibXML2

/// libxml2 for other modules (the harness parses HTML with it).
public enum XMLLibrary {
    /// Runs libxml2's one-time set-up (thread-safe, idempotent). Call before using libxml2
    /// directly; everything in this module calls it itself.
    public static func initialize() {
        _ = LibXML.initialized
    }
}

/// One-time libxml2 set-up, done before the first parse from any thread.
///
/// The external entity loader is replaced by one that refuses everything, so even a code
/// path that forgot a parser option cannot make libxml2 open a file or a URL; libxml2's
/// own printing of errors to stderr is switched off (see shim.h).
enum LibXML {
    static let initialized: Void = {
        xmlInitParser()
        ih_silence_libxml_errors()
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
