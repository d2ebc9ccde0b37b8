import Foundation
import IdentityCore
import Testing

@Suite struct DeterminismTests {
    @Test func aSeededSourceRepeatsItsSequenceAndSeedsDiffer() {
        let a = SeededRandomSource(seed: 42), b = SeededRandomSource(seed: 42), c = SeededRandomSource(seed: 43)
        let first = (0..<5).map { _ in a.xmlIdentifier() }
        #expect(first == (0..<5).map { _ in b.xmlIdentifier() })
        #expect(first != (0..<5).map { _ in c.xmlIdentifier() })
    }

    @Test func xmlIdentifiersAreNCNamesOf128Bits() {
        let id = SystemRandomSource().xmlIdentifier()
        #expect(id.hasPrefix("_"))
        #expect(id.count == 33)
        let hexDigits = id.dropFirst().allSatisfy { $0.isHexDigit }
        #expect(hexDigits)
    }

    @Test func theFixedClockMovesOnlyWhenAdvanced() {
        let clock = FixedWallClock(Date(timeIntervalSince1970: 1_000))
        #expect(clock.now == Date(timeIntervalSince1970: 1_000))
        clock.advance(by: 90)
        #expect(clock.now == Date(timeIntervalSince1970: 1_090))
    }

    @Test func constantTimeComparisonComparesWholeValues() {
        #expect(ConstantTime.equals("secret", "secret"))
        #expect(!ConstantTime.equals("secret", "secreT"))
        #expect(!ConstantTime.equals("secret", "secret2"))
    }
}
