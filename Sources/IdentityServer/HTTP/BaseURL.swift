import Synchronization

/// The server's public base URL: configured, or learned from the bound address once the
/// server listens (port 0 in scenarios). Read by every URL the server emits.
public final class BaseURL: Sendable {
    private let value: Mutex<String?>

    public init(_ configured: String?) {
        value = Mutex(configured.map(Self.trimmed))
    }

    public var string: String { value.withLock { $0 ?? "http://127.0.0.1" } }

    /// Sets the URL from the bound address unless one was configured.
    public func learn(_ url: String) {
        value.withLock { if $0 == nil { $0 = Self.trimmed(url) } }
    }

    public var isHTTPS: Bool { string.lowercased().hasPrefix("https://") }

    public func appending(_ path: String) -> String { string + path }

    static func trimmed(_ s: String) -> String {
        s.hasSuffix("/") ? String(s.dropLast()) : s
    }
}
