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

    /// Two texts that differ only in relative times, each pair within `tolerance` seconds.
    static func closeTimes(_ a: String, _ b: String, tolerance: Int) -> Bool {
        let pa = a.split(separator: "{t", omittingEmptySubsequences: false), pb = b.split(separator: "{t", omittingEmptySubsequences: false)
        guard pa.count == pb.count, pa.count > 1, pa[0] == pb[0] else { return false }
        for (x, y) in zip(pa.dropFirst(), pb.dropFirst()) {
            guard let cx = x.firstIndex(of: "}"), let cy = y.firstIndex(of: "}"),
                  let nx = Int(x[..<cx].replacingOccurrences(of: "+", with: "")), let ny = Int(y[..<cy].replacingOccurrences(of: "+", with: "")),
                  abs(nx - ny) <= tolerance, x[cx...] == y[cy...]
            else { return false }
        }
        return true
    }
}
