public import IdentityCore

/// One outbound provisioning target: an identity provider with a provisioning connector
/// (`scim:`), as an application's "Outbound Provisioning Configuration" lists them.
public struct OutboundTarget: Codable, Hashable, Sendable {
    /// The IdP record holding the connector.
    public var identityProvider: String
    /// The login waits until the person's account is at the target, and fails if it cannot
    /// get there (WSO2's "Blocking"); otherwise it is queued and delivered in the background.
    public var blocking: Bool
    /// "JIT outbound": people provisioned just in time during a login at the application
    /// are provisioned to the target too.
    public var jit: Bool

    public init(identityProvider: String, blocking: Bool = false, jit: Bool = true) {
        self.identityProvider = identityProvider
        self.blocking = blocking
        self.jit = jit
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case identityProvider, blocking, jit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identityProvider = try c.decode(String.self, forKey: .identityProvider)
        blocking = try c.decodeIfPresent(Bool.self, forKey: .blocking) ?? false
        jit = try c.decodeIfPresent(Bool.self, forKey: .jit) ?? true
    }
}

/// An application's outbound provisioning (PR-2): the `provisioning:` section of a service
/// provider record.
public struct OutboundProvisioningSettings: ServiceProviderSection {
    public static let key = "provisioning"
    public var outbound: [OutboundTarget]

    public init(outbound: [OutboundTarget] = []) {
        self.outbound = outbound
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case outbound }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outbound = try c.decodeIfPresent([OutboundTarget].self, forKey: .outbound) ?? []
    }

    public var lookupKeys: [ServiceProviderLookup] { [] }
}

extension ServiceProvider {
    /// The application's outbound provisioning targets.
    public var provisioning: OutboundProvisioningSettings? {
        get { self[section: OutboundProvisioningSettings.self] }
        set { self[section: OutboundProvisioningSettings.self] = newValue }
    }
}

/// When a failed delivery is tried again: after `initialDelaySeconds`, doubling each time
/// up to `maximumDelaySeconds` (or a longer `Retry-After` the target asked for, up to that
/// cap), until `maximumAttempts` attempts have failed and the record is left `failed` for an
/// operator (or the account's next change) to start again.
public struct RetryPolicy: Codable, Hashable, Sendable {
    public var initialDelaySeconds: Int
    public var maximumDelaySeconds: Int
    public var maximumAttempts: Int

    public init(initialDelaySeconds: Int = 5, maximumDelaySeconds: Int = 3_600, maximumAttempts: Int = 10) {
        self.initialDelaySeconds = initialDelaySeconds
        self.maximumDelaySeconds = maximumDelaySeconds
        self.maximumAttempts = maximumAttempts
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case initialDelaySeconds, maximumDelaySeconds, maximumAttempts }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RetryPolicy()
        initialDelaySeconds = try c.decodeIfPresent(Int.self, forKey: .initialDelaySeconds) ?? d.initialDelaySeconds
        maximumDelaySeconds = try c.decodeIfPresent(Int.self, forKey: .maximumDelaySeconds) ?? d.maximumDelaySeconds
        maximumAttempts = try c.decodeIfPresent(Int.self, forKey: .maximumAttempts) ?? d.maximumAttempts
    }

    /// The wait before attempt `failures + 1`, after `failures` failed ones (at least one).
    public func delay(afterFailures failures: Int, retryAfter: Int? = nil) -> Int {
        let exponent = min(max(failures - 1, 0), 30)
        let backoff = min(maximumDelaySeconds, initialDelaySeconds * (1 << exponent))
        return min(maximumDelaySeconds, max(backoff, retryAfter ?? 0))
    }
}

/// `server.yaml` `provisioning:`: the resident service provider's targets — where
/// accounts made or changed through the admin API or SCIM go (WSO2 configures these on
/// the "resident service provider") — and the retry policy of every delivery.
public struct ProvisioningSettings: Codable, Hashable, Sendable {
    public var outbound: [OutboundTarget]
    public var retry: RetryPolicy
    /// How long one request to a target may take.
    public var timeoutSeconds: Int

    public init(outbound: [OutboundTarget] = [], retry: RetryPolicy = RetryPolicy(), timeoutSeconds: Int = 10) {
        self.outbound = outbound
        self.retry = retry
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case outbound, retry, timeoutSeconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outbound = try c.decodeIfPresent([OutboundTarget].self, forKey: .outbound) ?? []
        retry = try c.decodeIfPresent(RetryPolicy.self, forKey: .retry) ?? RetryPolicy()
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 10
    }

    /// Ranges of every number; the targets' IdPs are checked when a delivery is made, as
    /// an IdP may be added after the server starts.
    public func problems() -> [(field: String, value: Int, range: ClosedRange<Int>)] {
        [
            ("provisioning.retry.initialDelaySeconds", retry.initialDelaySeconds, 1...86_400),
            ("provisioning.retry.maximumDelaySeconds", retry.maximumDelaySeconds, 1...604_800),
            ("provisioning.retry.maximumAttempts", retry.maximumAttempts, 1...100),
            ("provisioning.timeoutSeconds", timeoutSeconds, 1...120),
        ].filter { !$0.2.contains($0.1) }
    }
}
