import Foundation

/// OA-1: a redirect URI matches a registered callback exactly, or — when the registered
/// value starts with `regexp=` — the whole URI matches the rest as a regular expression
/// (anchored at both ends, so `regexp=https://app/cb` does not match `https://app/cb.evil`).
public enum RedirectURIMatcher {
    public static let regexpPrefix = "regexp="

    public static func matches(_ uri: String, registered: [String]) -> Bool {
        registered.contains { matches(uri, $0) }
    }

    public static func matches(_ uri: String, _ registered: String) -> Bool {
        guard registered.hasPrefix(regexpPrefix) else { return uri == registered }
        // \A and \z, not ^ and $: `$` also matches before a final line break, which would
        // let "https://app/cb\n" through.
        guard let regex = try? NSRegularExpression(pattern: "\\A(?:" + registered.dropFirst(regexpPrefix.count) + ")\\z") else {
            return false
        }
        let range = NSRange(uri.startIndex..., in: uri)
        return regex.firstMatch(in: uri, range: range)?.range == range
    }

    /// Whether a registered value is usable: an absolute URL without a fragment, or a
    /// regular expression that compiles.
    public static func isValidRegistration(_ registered: String) -> Bool {
        if registered.hasPrefix(regexpPrefix) {
            return (try? NSRegularExpression(pattern: String(registered.dropFirst(regexpPrefix.count)))) != nil
        }
        guard let components = URLComponents(string: registered), let scheme = components.scheme, !scheme.isEmpty else { return false }
        return components.fragment == nil
    }
}
