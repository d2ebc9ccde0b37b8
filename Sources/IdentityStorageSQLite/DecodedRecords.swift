import Foundation
import Synchronization

/// Records already decoded, by the exact JSON bytes they came from.
///
/// Foundation's `JSONDecoder` was about a tenth of the server's time under SSO load, most
/// of it decoding the same service provider and user rows on every request. A row's value
/// is a function of its bytes alone, so a hit is exactly what decoding would give; the
/// database is still read every time (another instance may have changed the row, and then
/// its bytes differ). Bounded: when full it starts again, which costs only re-decoding.
final class DecodedRecords<Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    static var capacity: Int { 256 }

    func value(for data: Data) -> Value? {
        entries.withLock { $0[Key(data: data)] }
    }

    func remember(_ value: Value, for data: Data) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(data: data)] = value
        }
    }

    /// Hashes every byte: records of one table share long prefixes, and `Data`'s own
    /// hash need not look past the first few dozen bytes.
    struct Key: Hashable {
        let data: Data

        func hash(into hasher: inout Hasher) {
            data.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
