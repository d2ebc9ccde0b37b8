import Foundation
public import OIDC

/// A mock IdP's token-signing keys over time: the current one, and those rotated out,
/// each published until its grace period ends.
public struct RotatingKeys: Sendable {
    public private(set) var current: ServerSigningKeys
    private var retired: [(keys: ServerSigningKeys, until: Date)] = []
    /// The profile's key, which a reset brings back.
    private let original: ServerSigningKeys

    public init(current: ServerSigningKeys) {
        self.current = current
        self.original = current
    }

    mutating func reset() {
        current = original
        retired = []
    }

    /// Retired keys past their grace are dropped here, so rotating often keeps no more than
    /// the keys still published.
    mutating func rotate(to fresh: ServerSigningKeys, keepingUntil until: Date, now: Date) {
        retired = retired.filter { $0.until > now } + [(current, until)]
        current = fresh
    }

    /// The JWKS at `now`: the current key first, then the retired ones still in grace.
    func published(at now: Date) -> JWKSDocument {
        JWKSDocument(keys: current.jwks.keys + retired.filter { $0.until > now }.flatMap(\.keys.jwks.keys))
    }
}
