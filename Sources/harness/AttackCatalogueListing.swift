import Foundation
import ProtocolVectors
import ScenarioKit

/// `harness coverage --attacks`: the hostile-input catalogue (SECURITY.md) as this checkout
/// has it — each protocol vector with the verdict the reference validators reach now, and
/// each live attack scenario with the refusals it expects.
enum AttackCatalogueListing {
    /// Prints the listing; returns how many vectors got another verdict than their file says.
    static func print(root: URL, scenarios: [ScenarioFile]) async throws -> Int {
        let vectors = try ProtocolVector.load(from: root.appendingPathComponent("Vectors/protocol"))
        let replayer = try await ProtocolVectorReplayer(root: root)
        var wrong = 0
        for kind in ProtocolVector.Kind.allCases {
            let ofKind = vectors.filter { $0.kind == kind }
            Swift.print("\(kind == .saml ? "SAML Responses" : "ID tokens") (Vectors/protocol/\(kind.rawValue), \(ofKind.count)):")
            for vector in ofKind {
                let (verdict, detail) = await replayer.replay(vector)
                let ok = verdict == vector.expected
                if !ok { wrong += 1 }
                Swift.print("\(ok ? "✓" : "✗") \(vector.name.padding(toLength: 48, withPad: " ", startingAt: 0)) \(verdict)")
                if !ok { Swift.print("      expected \(vector.expected): \(detail)") }
            }
        }
        let live = scenarios.filter { $0.scenario.tags.contains("attack") }
        Swift.print("\nLive attack scenarios (tag 'attack', \(live.count); `harness run --tag attack` plays them):")
        for file in live {
            let codes = file.scenario.steps.compactMap { step -> String? in
                guard case .expect(let expectation) = step else { return nil }
                return expectation.error ?? expectation.adminError ?? expectation.received?["error"]?.stringValue
            }
            var unique = [String]()
            for code in codes where !unique.contains(code) { unique.append(code) }
            Swift.print("  \(file.id)")
            Swift.print("      refuses with: \(unique.isEmpty ? "(see its expectations)" : unique.joined(separator: ", "))")
        }
        Swift.print("\n\(vectors.count - wrong) of \(vectors.count) protocol vectors get their verdict; \(live.count) live scenarios.")
        return wrong
    }
}
