import IdentityCore
import Foundation
import SAML

/// Makes observations stable: party base URLs become `{alias}`, SAML message IDs
/// `{id:N}`, record IDs `{uuid:N}`, flow keys `{flow:N}`, and encoded SAML messages and
/// signatures in URLs a fixed placeholder — numbered by first appearance, so the same
/// run always yields the same text and a different run differs only where behaviour did.
/// Times become seconds from the scenario's start (`{t+300}`), ISO 8601 text and epoch
/// seconds alike, so a vector says "valid for five minutes" rather than "until 09:05 on
/// one day in 2026", and a server on its own clock can match it.
struct Normaliser {
    /// Base URL → placeholder name.
    let bases: [(url: String, name: String)]
    /// The scenario clock's start.
    let start: Date
    private var numbering: [String: [String: Int]] = [:]

    init(bases: [String: String], start: Date) {
        self.start = start
        // Each base URL also appears percent-encoded inside query strings (acs=http%3A%2F%2F…).
        let plain = bases.map { (url: $0.value, name: $0.key) }
        let encoded = plain.map { (url: URLEncoding.encode($0.url), name: $0.name) }
        self.bases = (plain + encoded).sorted { $0.url.count > $1.url.count }
    }

    private static let patterns: [(kind: String, regex: NSRegularExpression, group: Int)] = [
        // `_` + 32 hex digits is ours; other servers use more (SimpleSAMLphp 42).
        ("id", try! NSRegularExpression(pattern: "_[0-9a-f]{32,64}(?![0-9a-f])"), 0),
        ("uuid", try! NSRegularExpression(pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), 0),
        ("flow", try! NSRegularExpression(pattern: "sessionDataKey=([A-Za-z0-9_%-]+)"), 1),
        // A minted or issued JWT shown on a page (`{page.token}`): its claims' order and the
        // ports inside it differ run to run; numbering still shows one presented twice.
        ("jwt", try! NSRegularExpression(pattern: "eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*"), 0),
        // A base64url SAML assertion (`<saml:Assertion …`), as minted for the bearer grant.
        ("assertion", try! NSRegularExpression(pattern: "PHNhbWw6QXNzZXJ0aW9u[A-Za-z0-9_-]*"), 0),
    ]
    /// Values that differ with every message (encoded XML, signatures); SigAlg is kept, as
    /// it says which algorithm signed the request.
    private static let opaqueParameters = try! NSRegularExpression(
        pattern: "([?&#])(SAMLRequest|SAMLResponse|Signature|code|state|nonce|code_challenge|access_token|id_token|id_token_hint|assertion|subject_token)=[^&#\\s\\]]*")

    mutating func normalise(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(normalise(s))
        case .int(let n) where Self.isEpochSecond(n, near: start): return .string(Self.offset(Double(n) - start.timeIntervalSince1970))
        case .array(let a): return .array(a.map { normalise($0) })
        case .object(let o):
            var result = [String: JSONValue]()
            for key in o.keys.sorted() {
                // A step's description is the scenario's own text: only URLs are rewritten,
                // so the exact (often malformed) input a step sent stays visible.
                if key == "do", case .string(let s) = o[key]! {
                    result[key] = .string(replacingBases(s))
                } else if Self.identifierKeys.contains(key), case .string(let s) = o[key]!, !s.isEmpty {
                    result[key] = .string(number(whole: s, kind: "id"))
                } else {
                    result[key] = normalise(o[key]!)
                }
            }
            return .object(result)
        default: return value
        }
    }

    mutating func normalise(_ text: String) -> String {
        var s = relativeTimes(replacingBases(text))
        s = Self.opaqueParameters.stringByReplacingMatches(
            in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1$2={$2}")
        for pattern in Self.patterns {
            s = number(s, kind: pattern.kind, regex: pattern.regex, group: pattern.group)
        }
        return s
    }

    private static let isoTime = try! NSRegularExpression(pattern: "\\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z")

    /// A whole number of seconds from the start, signed: `{t+0}`, `{t+300}`, `{t-60}`.
    static func offset(_ seconds: Double) -> String {
        let n = Int(seconds.rounded())
        return n < 0 ? "{t\(n)}" : "{t+\(n)}"
    }

    /// Epoch seconds within a day of the start: a JWT's `iat`, `exp`, `auth_time`.
    static func isEpochSecond(_ n: Int, near start: Date) -> Bool {
        abs(Double(n) - start.timeIntervalSince1970) <= 86_400
    }

    private func relativeTimes(_ text: String) -> String {
        let ns = text as NSString
        var result = ""
        var cursor = 0
        for match in Self.isoTime.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let stamp = ns.substring(with: match.range)
            guard let date = try? Date(stamp, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: stamp.contains("."))) else {
                continue
            }
            result += ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
                + Self.offset(date.timeIntervalSince(start))
            cursor = match.range.location + match.range.length
        }
        return result + ns.substring(from: cursor)
    }

    private func replacingBases(_ text: String) -> String {
        var s = text
        for (url, name) in bases {
            var result = ""
            var rest = Substring(s)
            while let range = rest.range(of: url) {
                let after = range.upperBound
                // A base URL ends at its port: do not match a longer port number.
                if after < rest.endIndex, rest[after].isNumber {
                    result += rest[..<after]
                } else {
                    result += rest[..<range.lowerBound] + "{\(name)}"
                }
                rest = rest[after...]
            }
            s = result + rest
        }
        return s
    }

    /// Fields whose whole value is a message or session identifier, whatever its shape
    /// (another server's are not `_` + 32 hex digits: SimpleSAMLphp's have 42).
    static let identifierKeys: Set<String> = ["inResponseTo", "sessionIndex"]

    private mutating func number(whole value: String, kind: String) -> String {
        var table = numbering[kind, default: [:]]
        let n = table[value] ?? (table.count + 1)
        table[value] = n
        numbering[kind] = table
        return "{\(kind):\(n)}"
    }

    private mutating func number(_ text: String, kind: String, regex: NSRegularExpression, group: Int) -> String {
        let ns = text as NSString
        var result = ""
        var cursor = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let range = match.range(at: group)
            let value = ns.substring(with: range)
            var table = numbering[kind, default: [:]]
            let n = table[value] ?? (table.count + 1)
            table[value] = n
            numbering[kind] = table
            result += ns.substring(with: NSRange(location: cursor, length: range.location - cursor)) + "{\(kind):\(n)}"
            cursor = range.location + range.length
        }
        return result + ns.substring(from: cursor)
    }
}
