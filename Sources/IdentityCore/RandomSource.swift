import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where every identifier, token and salt comes from. Injected so that a scenario can
/// use a seeded source and reproduce its message IDs byte for byte; production uses
/// the operating system's CSPRNG.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// A SAML/XML-safe identifier: an NCName (starts with `_`) of 32 hex digits (128 bits).
    public func xmlIdentifier() -> String {
        "_" + hex(bytes(16))
    }

    /// An opaque token for cookies, CSRF fields and flow keys: 256 bits, base64url.
    public func token() -> String {
        Base64URL.encode(bytes(32))
    }

    /// A UUID-formatted identifier (version 4 layout) for stored records.
    public func uuid() -> String {
        var b = bytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let h = hex(b)
        let chars = Array(h)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
            .map { String(chars[$0]) }
            .joined(separator: "-")
    }
}

/// Lower-case hexadecimal of a byte sequence.
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// The operating system's cryptographically secure generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    /// One `getentropy(3)` (the `getrandom(2)` system call) per 256 bytes on Linux.
    /// Drawing them one `UInt8` at a time from `SystemRandomNumberGenerator` made a system
    /// call per byte: 32 for every token, the largest single cost of issuing one.
    public func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            #if canImport(Glibc)
            while filled < count {
                let chunk = min(256, count - filled)
                guard getentropy(buffer.baseAddress! + filled, chunk) == 0 else { break }
                filled += chunk
            }
            #endif
            // Elsewhere (or if the call is refused), the standard library's generator.
            var generator = SystemRandomNumberGenerator()
            while filled < count {
                buffer[filled] = UInt8.random(in: .min ... .max, using: &generator)
                filled += 1
            }
            initialized = count
        }
    }
}

/// A deterministic generator (SplitMix64) for scenarios and tests. Not for secrets in
/// production: anyone who knows the seed knows every token.
public final class SeededRandomSource: RandomSource {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) {
        self.state = Mutex(seed)
    }

    public func bytes(_ count: Int) -> [UInt8] {
        state.withLock { s in
            var out = [UInt8]()
            out.reserveCapacity(count + 8)
            while out.count < count {
                s &+= 0x9E37_79B9_7F4A_7C15
                var z = s
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z = z ^ (z >> 31)
                withUnsafeBytes(of: z.littleEndian) { out.append(contentsOf: $0) }
            }
            return Array(out.prefix(count))
        }
    }
}
