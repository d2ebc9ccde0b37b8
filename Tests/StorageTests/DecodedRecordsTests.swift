import Foundation
@testable import IdentityStorageSQLite
import Testing

/// The SQLite stores keep decoded records by their exact bytes (issue 15): a row whose
/// bytes changed anywhere, however late in the JSON, is decoded again.
@Suite struct DecodedRecordsTests {
    @Test func aRecordIsFoundOnlyByItsExactBytes() {
        let cache = DecodedRecords<String>()
        let prefix = String(repeating: "{\"id\":\"flow\",", count: 20)
        let first = Data((prefix + "\"stage\":1}").utf8)
        let second = Data((prefix + "\"stage\":2}").utf8)
        cache.remember("one", for: first)
        #expect(cache.value(for: first) == "one")
        #expect(cache.value(for: second) == nil)
        cache.remember("two", for: second)
        #expect(cache.value(for: second) == "two")
        #expect(cache.value(for: first) == "one")
    }

    @Test func itStaysBoundedAndStartsAgainWhenFull() {
        let cache = DecodedRecords<Int>()
        for i in 0...DecodedRecords<Int>.capacity { cache.remember(i, for: Data("record \(i)".utf8)) }
        #expect(cache.value(for: Data("record \(DecodedRecords<Int>.capacity)".utf8)) == DecodedRecords<Int>.capacity)
        #expect(cache.value(for: Data("record 0".utf8)) == nil)
    }
}
