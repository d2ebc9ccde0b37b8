import CZlib

/// Raw DEFLATE (RFC 1951, no zlib header) as the HTTP-Redirect binding requires.
public enum Deflate {
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        // Fails only for invalid constant parameters or out of memory.
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        var source = input
        let produced: Int = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                deflate(&stream, Z_FINISH)
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// Inflates, refusing output beyond `limit` bytes (a small deflated message can
    /// expand enormously) and input that is not a complete raw DEFLATE stream.
    public static func decompress(_ input: [UInt8], limit: Int) throws(SAMLError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SAMLError(.samlBadDeflate, detail: "could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var source = input
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var status: Int32 = Z_OK
        source.withUnsafeMutableBufferPointer { src in
            stream.next_in = src.baseAddress
            stream.avail_in = uInt(src.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { dst in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = uInt(dst.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return dst.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk.prefix(produced))
                if output.count > limit { status = Z_MEM_ERROR; break }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
            }
        }
        if output.count > limit {
            throw SAMLError(.samlMessageTooLarge, detail: "the inflated message exceeds \(limit) bytes")
        }
        guard status == Z_STREAM_END else {
            throw SAMLError(.samlBadDeflate, detail: "the message is not valid raw DEFLATE data")
        }
        return output
    }
}
