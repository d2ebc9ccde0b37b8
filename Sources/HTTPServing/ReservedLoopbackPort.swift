#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A loopback port held for as long as this value lives: a socket bound to it that never
/// listens, so every connection to it is refused and no other server can take it. A test
/// that needs an IdP that is down uses one (stopping a server and reusing its port is not
/// enough while tests run in parallel); releasing one gives a port that was free a moment
/// ago (`LoopbackPort.free()`).
public final class ReservedLoopbackPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public struct Unavailable: Error {
        public init() {}
    }

    /// `port` 0: the kernel's choice.
    public init(port wanted: UInt16 = 0) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = wanted.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            close(descriptor)
            throw Unavailable()
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
