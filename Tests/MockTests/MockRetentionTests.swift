import Foundation
import IdentityCore
@testable import MockSupport
import Testing

/// A mock left running under load keeps a bounded record (issue 15): the newest
/// observations stay readable, the oldest are forgotten, memory stops growing.
@Suite struct MockRetentionTests {
    @Test func aMockKeepsItsNewestObservationsAndForgetsTheOldest() async throws {
        let file = MockRefusalsTests.mocks.appendingPathComponent("idps/partner-oidc.yaml")
        guard case .idp(let profile) = try PartyProfile.load(file, overrides: nil) else { throw MockError(.mockProfileInvalid, detail: "not an IdP") }
        let idp = try await MockIdentityProvider(
            profile: profile, directory: file.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": "http://127.0.0.1:1"], baseDirectory: file.deletingLastPathComponent()),
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 1))
        let total = MockIdentityProvider.retained + 1
        for i in 0..<(total - 2) { idp.record(IdPObservation(action: "request \(i)")) }
        let mark = idp.observationMark
        for i in (total - 2)..<total { idp.record(IdPObservation(action: "request \(i)")) }
        // Dropping the oldest tenth in between does not shift what came after a mark.
        #expect(idp.observations(since: mark).map(\.action) == ["request \(total - 2)", "request \(total - 1)"])
        let kept = idp.observations
        #expect(kept.count == total - MockIdentityProvider.retained / 10)
        #expect(kept.first?.action == "request \(MockIdentityProvider.retained / 10)")
        #expect(kept.last?.action == "request \(total - 1)")
    }
}
