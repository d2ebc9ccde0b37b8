import Foundation
import Synchronization

/// OA-1: a redirect URI matches a registered callback exactly, or — when the registered
/// value starts with `regexp=` — the whole URI matches the rest as a regular expression
/// (anchored at both ends, so `regexp=https://app/cb` does not match `https://app/cb.evil`).
public enum RedirectURIMatcher {
    public static let regexpPrefix = "regexp="

    /// Whether `uri` may be redirected to: one of the `registered` callbacks matches it,
    /// and it has no fragment (RFC 6749 §3.1.2: a redirection endpoint has none, whatever a
    /// pattern allows). The authorize endpoint and RP-initiated logout both ask this.
    public static func matches(_ uri: String, registered: [String]) -> Bool {
        !uri.contains("#") && registered.contains { matches(uri, $0) }
    }

    /// A `regexp=` entry also holds the URI to what a registration must be — absolute, no
    /// fragment, plain http only to loopback — since a pattern like `https?://…` would
    /// otherwise let a code travel in clear.
    public static func matches(_ uri: String, _ registered: String) -> Bool {
        guard registered.hasPrefix(regexpPrefix) else { return uri == registered }
        guard uriProblem(uri) == nil, let regex = CompiledPatterns.shared.anchored(String(registered.dropFirst(regexpPrefix.count))) else { return false }
        let range = NSRange(uri.startIndex..., in: uri)
        return regex.firstMatch(in: uri, range: range)?.range == range
    }

    /// Why a registered value is unusable, or nil when it is fine: an absolute URL without
    /// a fragment, or a regular expression that compiles. Plain `http` only for loopback
    /// hosts (RFC 9700 §2.6 / RFC 8252 §7.3: a code sent in clear to a network host can be
    /// read on the way); custom schemes of native apps are allowed. A `regexp=` value is
    /// only checked for compiling — what it can match is its author's responsibility.
    public static func registrationProblem(_ registered: String) -> String? {
        if registered.hasPrefix(regexpPrefix) {
            return (try? NSRegularExpression(pattern: String(registered.dropFirst(regexpPrefix.count)))) == nil
                ? "regexp=<pattern> must be a regular expression that compiles" : nil
        }
        return uriProblem(registered)
    }

    /// Why `uri`, taken as a URI whatever it starts with, cannot be a redirect URI.
    static func uriProblem(_ uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(), !scheme.isEmpty else {
            return "an absolute URL, or regexp=<a regular expression that compiles>"
        }
        if components.fragment != nil { return "a redirect URI cannot have a fragment (RFC 6749 §3.1.2)" }
        if scheme == "http" && !isLoopback(components.host ?? "") {
            return "plain http is allowed only for loopback hosts (127.0.0.1, [::1], localhost); use https (RFC 9700 §2.6)"
        }
        return nil
    }

    public static func isValidRegistration(_ registered: String) -> Bool {
        registrationProblem(registered) == nil
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return host == "localhost" || host == "::1" || host == "[::1]"
            || (octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil })
    }
}

/// Compiled `regexp=` patterns, kept so a request does not compile its client's pattern
/// again (compiling dominated matching: 88 matches/s under the fuzzer's sanitizers).
/// Bounded: registrations come from configuration and the admin API, so a caller that
/// registers many patterns empties the cache rather than growing it.
final class CompiledPatterns: Sendable {
    static let shared = CompiledPatterns()
    static let capacity = 512
    private let compiled = Mutex<[String: NSRegularExpression]>([:])

    /// `pattern` anchored at both ends with \A and \z, not ^ and $: `$` also matches before
    /// a final line break, which would let "https://app/cb\n" through.
    func anchored(_ pattern: String) -> NSRegularExpression? {
        if let hit = compiled.withLock({ $0[pattern] }) { return hit }
        guard let regex = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z") else { return nil }
        compiled.withLock {
            if $0.count >= Self.capacity { $0.removeAll(keepingCapacity: true) }
            $0[pattern] = regex
        }
        return regex
    }
}
