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
    /// `timeTolerance`: relative times (`{t+300}`) may differ by this many seconds; under
    /// a key of `earlier`, the actual time may also be up to that many seconds earlier
    /// (a NotBefore set back for clock skew); a key in `ignoring` is not compared at all,
    /// and one in `mayBeAbsent` only when the actual vector has it.
    public static func compare(
        expected: JSONValue, actual: JSONValue, limit: Int = 10, timeTolerance: Int = 0, earlier: [String: Int] = [:],
        ignoring: Set<String> = [], mayBeAbsent: Set<String> = []
    ) -> [VectorMismatch] {
        var mismatches = [VectorMismatch]()
        let skipped = Skipped(always: ignoring, whenAbsent: mayBeAbsent)
        walk(
            expected, actual, path: "", key: "", into: &mismatches, limit: limit, tolerance: timeTolerance, earlier: earlier,
            skipped: skipped)
        return mismatches
    }

    private static func walk(
        _ e: JSONValue?, _ a: JSONValue?, path: String, key: String, into out: inout [VectorMismatch], limit: Int, tolerance: Int,
        earlier: [String: Int], skipped: Skipped
    ) {
        guard out.count < limit else { return }
        switch (e, a) {
        case (.object(let eo)?, .object(let ao)?):
            for child in Set(eo.keys).union(ao.keys).sorted()
            where !skipped.always.contains(child) && !(skipped.whenAbsent.contains(child) && ao[child] == nil) {
                walk(
                    eo[child], ao[child], path: path.isEmpty ? child : "\(path).\(child)", key: child, into: &out, limit: limit,
                    tolerance: tolerance, earlier: earlier, skipped: skipped)
            }
        case (.array(let ea)?, .array(let aa)?):
            for i in 0..<max(ea.count, aa.count) {
                walk(
                    i < ea.count ? ea[i] : nil, i < aa.count ? aa[i] : nil, path: "\(path)[\(i)]", key: key, into: &out, limit: limit,
                    tolerance: tolerance, earlier: earlier, skipped: skipped)
            }
        case (.string(let es)?, .string(let as_)?) where tolerance > 0:
            let allowed = -(tolerance + earlier[key, default: 0])...tolerance
            if es != as_ && !closeTimes(es, as_, allowed: allowed) { out.append(VectorMismatch(path: path, expected: e, actual: a)) }
        default:
            if e != a { out.append(VectorMismatch(path: path, expected: e, actual: a)) }
        }
    }

    struct Skipped {
        let always: Set<String>
        let whenAbsent: Set<String>
    }

    /// Two texts that differ only in relative times (`{t+300}`), each actual time within
    /// `allowed` seconds of the expected one.
    static func closeTimes(_ expected: String, _ actual: String, allowed: ClosedRange<Int>) -> Bool {
        let (templateA, timesA) = relativeTimes(in: expected), (templateB, timesB) = relativeTimes(in: actual)
        guard !timesA.isEmpty, templateA == templateB, timesA.count == timesB.count else { return false }
        return zip(timesA, timesB).allSatisfy { allowed.contains($1 - $0) }
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
