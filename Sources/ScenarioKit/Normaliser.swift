import IdentityCore
import Foundation
import SAML

/// Makes observations stable: party base URLs become `{alias}`, SAML message IDs
/// `{id:N}`, record IDs `{uuid:N}`, flow keys `{flow:N}`, and encoded SAML messages and
/// signatures in URLs a fixed placeholder — numbered by first appearance, so the same
/// run always yields the same text and a different run differs only where behaviour did.
struct Normaliser {
    /// Base URL → placeholder name.
    let bases: [(url: String, name: String)]
    private var numbering: [String: [String: Int]] = [:]

    init(bases: [String: String]) {
        // Each base URL also appears percent-encoded inside query strings (acs=http%3A%2F%2F…).
        let plain = bases.map { (url: $0.value, name: $0.key) }
        let encoded = plain.map { (url: URLEncoding.encode($0.url), name: $0.name) }
        self.bases = (plain + encoded).sorted { $0.url.count > $1.url.count }
    }

    private static let patterns: [(kind: String, regex: NSRegularExpression, group: Int)] = [
        ("id", try! NSRegularExpression(pattern: "_[0-9a-f]{32}"), 0),
        ("uuid", try! NSRegularExpression(pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), 0),
        ("flow", try! NSRegularExpression(pattern: "sessionDataKey=([A-Za-z0-9_%-]+)"), 1),
    ]
    /// Values that differ with every message (encoded XML, signatures); SigAlg is kept, as
    /// it says which algorithm signed the request.
    private static let opaqueParameters = try! NSRegularExpression(
        pattern: "([?&#])(SAMLRequest|SAMLResponse|Signature|code|state|nonce|code_challenge|access_token|id_token|id_token_hint)=[^&#\\s\\]]*")

    mutating func normalise(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(normalise(s))
        case .array(let a): return .array(a.map { normalise($0) })
        case .object(let o):
            var result = [String: JSONValue]()
            for key in o.keys.sorted() {
                // A step's description is the scenario's own text: only URLs are rewritten,
                // so the exact (often malformed) input a step sent stays visible.
                if key == "do", case .string(let s) = o[key]! {
                    result[key] = .string(replacingBases(s))
                } else {
                    result[key] = normalise(o[key]!)
                }
            }
            return .object(result)
        default: return value
        }
    }

    mutating func normalise(_ text: String) -> String {
        var s = replacingBases(text)
        s = Self.opaqueParameters.stringByReplacingMatches(
            in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1$2={$2}")
        for pattern in Self.patterns {
            s = number(s, kind: pattern.kind, regex: pattern.regex, group: pattern.group)
        }
        return s
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
