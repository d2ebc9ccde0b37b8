import Foundation

/// Where a recorded vector and a run differ.
public struct VectorMismatch: Sendable, Codable, CustomStringConvertible {
    public var path: String
    public var expected: JSONValue?
    public var actual: JSONValue?

    public var description: String {
        """
        at \(path.isEmpty ? "(root)" : path)
              expected: \(expected.map(\.compact) ?? "(nothing)")
              actual:   \(actual.map(\.compact) ?? "(nothing)")
        """
    }
}

/// Compares two vectors depth-first in key order and lists differences, most specific
/// path first, up to a limit.
public enum VectorDiff {
    /// `timeTolerance`: relative times (`{t+300}`) may differ by this many seconds.
    public static func compare(expected: JSONValue, actual: JSONValue, limit: Int = 10, timeTolerance: Int = 0) -> [VectorMismatch] {
        var mismatches = [VectorMismatch]()
        walk(expected, actual, path: "", into: &mismatches, limit: limit, tolerance: timeTolerance)
        return mismatches
    }

    private static func walk(_ e: JSONValue?, _ a: JSONValue?, path: String, into out: inout [VectorMismatch], limit: Int, tolerance: Int) {
        guard out.count < limit else { return }
        switch (e, a) {
        case (.object(let eo)?, .object(let ao)?):
            for key in Set(eo.keys).union(ao.keys).sorted() {
                walk(eo[key], ao[key], path: path.isEmpty ? key : "\(path).\(key)", into: &out, limit: limit, tolerance: tolerance)
            }
        case (.array(let ea)?, .array(let aa)?):
            for i in 0..<max(ea.count, aa.count) {
                walk(i < ea.count ? ea[i] : nil, i < aa.count ? aa[i] : nil, path: "\(path)[\(i)]", into: &out, limit: limit, tolerance: tolerance)
            }
        case (.string(let es)?, .string(let as_)?) where tolerance > 0:
            if es != as_ && !closeTimes(es, as_, tolerance: tolerance) { out.append(VectorMismatch(path: path, expected: e, actual: a)) }
        default:
            if e != a { out.append(VectorMismatch(path: path, expected: e, actual: a)) }
        }
    }

    /// Two texts that differ only in relative times (`{t+300}`), each pair within
    /// `tolerance` seconds.
    static func closeTimes(_ a: String, _ b: String, tolerance: Int) -> Bool {
        let (templateA, timesA) = relativeTimes(in: a), (templateB, timesB) = relativeTimes(in: b)
        guard !timesA.isEmpty, templateA == templateB, timesA.count == timesB.count else { return false }
        return zip(timesA, timesB).allSatisfy { abs($0 - $1) <= tolerance }
    }

    private static let relativeTime = try! NSRegularExpression(pattern: "\\{t([+-][0-9]+)\\}")

    /// The text with every relative time replaced by `{t}`, and the times in order.
    static func relativeTimes(in text: String) -> (template: String, seconds: [Int]) {
        let ns = text as NSString
        var seconds = [Int]()
        for match in relativeTime.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            seconds.append(Int(ns.substring(with: match.range(at: 1)).replacingOccurrences(of: "+", with: "")) ?? 0)
        }
        let template = relativeTime.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: "{t}")
        return (template, seconds)
    }
}
