import Foundation
import OIDC

/// One grant raced (issue 19): the same token request sent several times at once, as a
/// client refreshing from several threads — or a thief beside the client — would, and as a
/// load balancer spreads it over several server instances. A server honours it once.
///
/// Only what holds whatever the interleaving is recorded, so a vector stays stable: how
/// many answers succeeded is timing (a code raced against its own replay may leave none),
/// whether two of them carried different tokens is not.
public struct RaceObservation: Codable, Sendable, Equatable {
    public var attempts: Int
    /// More than one distinct access token came back: the grant was honoured twice.
    public var issuedMoreThanOnce: Bool
    /// How many of the access tokens that came back are active afterwards, by
    /// introspection (RFC 7662); absent when the provider offers no introspection.
    public var activeAfter: Int?
    /// The distinct `error` codes of the refused attempts, sorted.
    public var refusedWith: [String]
}

extension MockRelyingParty {
    /// The most attempts one race may make: enough to spread over any test cluster,
    /// few enough that a mistyped option does not flood the server.
    static let maximumRace = 32

    /// `race=N` of an action: nil when absent, a failure when it is not 2…maximumRace.
    static func raceCount(_ q: [String: String]) -> Result<Int?, MockError> {
        guard let text = q["race"] else { return .success(nil) }
        guard let count = Int(text), (2...maximumRace).contains(count) else {
            return .failure(MockError(.mockBadOption, field: "race", value: text, detail: "race must be 2…\(maximumRace)"))
        }
        return .success(count)
    }

    /// Sends the token request `times` times at once and keeps the tokens of the first
    /// answer that carried any, as a client would.
    func race(_ times: Int, _ parameters: [String: String?]) async throws -> RaceObservation {
        let endpoint = try await metadata().tokenEndpoint
        let answers = try await withThrowingTaskGroup(of: (Int, [String: ClaimValue]?).self) { group in
            for _ in 0..<times { group.addTask { try await self.clientRequest(endpoint, parameters) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let issued = answers.compactMap { status, body in status == 200 ? body : nil }.filter { $0["access_token"]?.string != nil }
        if let first = issued.first, let accessToken = first["access_token"]?.string {
            _ = keep(accessToken: accessToken, refreshToken: first["refresh_token"]?.string)
        }
        let tokens = Set(issued.compactMap { $0["access_token"]?.string })
        var activeAfter: Int?
        if let introspection = try await metadata().introspectionEndpoint {
            var active = 0
            for token in tokens.sorted() {
                let (status, body) = try await clientRequest(introspection, ["token": token])
                if status == 200, case .bool(true)? = body?["active"] { active += 1 }
            }
            activeAfter = active
        }
        let refusals = Set(answers.filter { $0.0 != 200 }.map { status, body in body?["error"]?.string ?? "status \(status)" })
        return RaceObservation(attempts: times, issuedMoreThanOnce: tokens.count > 1, activeAfter: activeAfter, refusedWith: refusals.sorted())
    }
}
