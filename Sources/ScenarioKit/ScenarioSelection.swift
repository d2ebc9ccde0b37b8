import Foundation

/// Which scenarios a run takes: a name glob, tags, and a shard of the rest.
///
/// Sharding is by position in ID order (`index % count == shard - 1`), so `--shard 1/2` and
/// `--shard 2/2` over the same files partition them exactly, on any machine, and each
/// shard gets a spread of areas rather than one area's slow scenarios.
public struct ScenarioSelection: Sendable, Equatable {
    public var filter: String?
    /// A scenario is taken when it has any of these tags (none: no tag condition).
    public var tags: [String]
    public var shard: Shard?

    public init(filter: String? = nil, tags: [String] = [], shard: Shard? = nil) {
        self.filter = filter
        self.tags = tags
        self.shard = shard
    }

    /// `i/n`: the i-th of n shards, counted from 1.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public let index: Int
        public let count: Int

        public init(index: Int, count: Int) throws(ScenarioError) {
            guard count >= 1, (1...count).contains(index) else {
                throw .invalid("a shard is i/n with 1 ≤ i ≤ n, not \(index)/\(count)")
            }
            self.index = index
            self.count = count
        }

        public init(parsing text: String) throws(ScenarioError) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
                throw .invalid("a shard is written i/n (e.g. 1/2), not '\(text)'")
            }
            try self.init(index: index, count: count)
        }

        public var description: String { "\(index)/\(count)" }
    }

    public func apply(to files: [ScenarioFile]) -> [ScenarioFile] {
        let chosen = files.sorted { $0.id < $1.id }.filter { file in
            (filter.map { fnmatch($0, file.id, 0) == 0 } ?? true)
                && (tags.isEmpty || !Set(tags).isDisjoint(with: file.scenario.tags))
        }
        guard let shard else { return chosen }
        return chosen.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }
}
