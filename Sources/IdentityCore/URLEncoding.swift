import Foundation

/// Percent-encoding for query strings and form bodies, and a parser that keeps each
/// value exactly as it was sent: the HTTP-Redirect signature covers the encoded octets,
/// so they must not be re-encoded before verifying.
public enum URLEncoding {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes every octet outside RFC 3986's unreserved set (uppercase hex, §2.1).
    public static func encode(_ value: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if unreserved.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes percent-escapes and `+` (as space, the form encoding); nil if malformed: a
    /// `%` not followed by two hex digits, or octets that are not UTF-8. On bytes, since
    /// every query and form field of every request passes through here. Unlike the
    /// CoreFoundation routine it replaced, a leading byte-order mark is kept: a value is
    /// what was sent (`%EF%BB%BFalice` is not `alice`).
    public static func decode(_ value: Substring) -> String? {
        let bytes = value.utf8
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(value) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index != bytes.endIndex, let high = hexValue(bytes[index]) else { return nil }
                bytes.formIndex(after: &index)
                guard index != bytes.endIndex, let low = hexValue(bytes[index]) else { return nil }
                bytes.formIndex(after: &index)
                out.append(high << 4 | low)
            default:
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `name=value` pairs of a query or form body, in order, each value raw and decoded.
    public static func pairs(_ query: String) -> [(name: String, raw: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).compactMap { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0]) else { return nil }
            let raw = pieces.count > 1 ? String(pieces[1]) : ""
            guard let value = decode(Substring(raw)) else { return nil }
            return (name, raw, value)
        }
    }

    public static func query(_ items: [(String, String?)]) -> String {
        items.compactMap { name, value in value.map { "\(encode(name))=\(encode($0))" } }.joined(separator: "&")
    }
}
