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
    public static func compare(expected: JSONValue, actual: JSONValue, limit: Int = 10) -> [VectorMismatch] {
        var mismatches = [VectorMismatch]()
        walk(expected, actual, path: "", into: &mismatches, limit: limit)
        return mismatches
    }

    private static func walk(_ e: JSONValue?, _ a: JSONValue?, path: String, into out: inout [VectorMismatch], limit: Int) {
        guard out.count < limit else { return }
        switch (e, a) {
        case (.object(let eo)?, .object(let ao)?):
            for key in Set(eo.keys).union(ao.keys).sorted() {
                walk(eo[key], ao[key], path: path.isEmpty ? key : "\(path).\(key)", into: &out, limit: limit)
            }
        case (.array(let ea)?, .array(let aa)?):
            for i in 0..<max(ea.count, aa.count) {
                walk(i < ea.count ? ea[i] : nil, i < aa.count ? aa[i] : nil, path: "\(path)[\(i)]", into: &out, limit: limit)
            }
        default:
            if e != a { out.append(VectorMismatch(path: path, expected: e, actual: a)) }
        }
    }
}
