public import Foundation

/// A person's recorded consent for one service provider (CL-4): which claims they let it
/// have and which optional ones they kept back, when, and in which version.
public struct ConsentReceipt: Codable, Hashable, Sendable {
    public var id: String
    public var userID: String
    public var serviceProvider: String
    /// Local claim URIs the SP may receive.
    public var granted: [String]
    /// Optional local claims the person deselected: not released, not asked again.
    public var denied: [String]
    public var consentedAt: Date
    /// 1 at first consent, +1 each time the SP asked for more and the person answered.
    public var version: Int

    public init(id: String, userID: String, serviceProvider: String, granted: [String], denied: [String], consentedAt: Date, version: Int) {
        self.id = id
        self.userID = userID
        self.serviceProvider = serviceProvider
        self.granted = granted
        self.denied = denied
        self.consentedAt = consentedAt
        self.version = version
    }
}
