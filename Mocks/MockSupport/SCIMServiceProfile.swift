import Foundation
public import StrictYAML

/// A mock SCIM 2.0 service's profile (`Mocks/scim/<name>.yaml`, `kind: scim`): how clients
/// authenticate to it, how it misbehaves, and — in `registration` — the identity provider
/// record (kind `scim`) that makes it an outbound provisioning target of the server.
public struct SCIMServiceProfile: Decodable, Sendable {
    public var kind: String
    /// `basic`, `bearer` or `none`.
    public var authentication: String
    public var username: String?
    public var password: String?
    public var token: String?
    public var faults: SCIMFaults
    public var registration: ConfigValue?

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, authentication, username, password, token, faults, registration }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        authentication = try c.decodeIfPresent(String.self, forKey: .authentication) ?? "none"
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        faults = try c.decodeIfPresent(SCIMFaults.self, forKey: .faults) ?? SCIMFaults()
        registration = try c.decodeIfPresent(ConfigValue.self, forKey: .registration)
    }

    static func load(_ value: ConfigValue, file: URL) throws -> SCIMServiceProfile {
        try StrictYAML.decode(SCIMServiceProfile.self, from: value.node, file: file.path) { profile in
            guard ["basic", "bearer", "none"].contains(profile.authentication) else {
                throw MockError(.mockProfileInvalid, field: "authentication", value: profile.authentication, detail: "basic, bearer or none")
            }
            if profile.authentication == "basic", profile.username == nil || profile.password == nil {
                throw MockError(.mockProfileInvalid, field: "password", detail: "basic authentication needs a username and a password")
            }
            if profile.authentication == "bearer", profile.token == nil {
                throw MockError(.mockProfileInvalid, field: "token", detail: "bearer authentication needs a token")
            }
            guard (0...120).contains(profile.faults.slowSeconds), profile.faults.unavailable >= 0 else {
                throw MockError(.mockProfileInvalid, field: "faults", detail: "slowSeconds is 0 to 120, unavailable at least 0")
            }
        }
    }
}

/// How a mock SCIM service misbehaves — what a provisioning client must survive. Set in
/// the profile (`faults:`) or at run time (`POST /_mock/faults`, form or JSON fields of the
/// same names).
public struct SCIMFaults: Codable, Sendable, Equatable {
    /// The next N requests are answered 503 (a service that is down for a while).
    public var unavailable: Int
    /// Sent with those 503s as `Retry-After` (seconds).
    public var retryAfter: Int?
    /// Every answer waits this long (a slow service; past the client's timeout, a dead one).
    public var slowSeconds: Double
    /// POST /Users answers 409 `uniqueness`, as if the userName were taken by someone else.
    public var conflict: Bool
    /// An attribute (`name.familyName`, `emails`) stored without, as a service that drops
    /// what it does not understand.
    public var dropAttribute: String?
    /// POST and PUT of Users are refused with 400 `invalidValue` (a service whose schema
    /// the resource does not fit): a refusal a retry cannot mend.
    public var rejectUsers: Bool

    public init(
        unavailable: Int = 0, retryAfter: Int? = nil, slowSeconds: Double = 0, conflict: Bool = false, dropAttribute: String? = nil,
        rejectUsers: Bool = false
    ) {
        self.unavailable = unavailable
        self.retryAfter = retryAfter
        self.slowSeconds = slowSeconds
        self.conflict = conflict
        self.dropAttribute = dropAttribute
        self.rejectUsers = rejectUsers
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case unavailable, retryAfter, slowSeconds, conflict, dropAttribute, rejectUsers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unavailable = try c.decodeIfPresent(Int.self, forKey: .unavailable) ?? 0
        retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter)
        slowSeconds = try c.decodeIfPresent(Double.self, forKey: .slowSeconds) ?? 0
        conflict = try c.decodeIfPresent(Bool.self, forKey: .conflict) ?? false
        dropAttribute = try c.decodeIfPresent(String.self, forKey: .dropAttribute)
        rejectUsers = try c.decodeIfPresent(Bool.self, forKey: .rejectUsers) ?? false
    }

    /// Changes from a control request's fields; an unknown field or a bad value is an error.
    mutating func apply(_ fields: [(String, String)]) throws(MockError) {
        for (name, value) in fields {
            func bad() -> MockError { MockError(.mockBadOption, field: name, value: value, detail: "not a valid value for this fault") }
            switch name {
            case "unavailable": guard let n = Int(value), n >= 0 else { throw bad() }; unavailable = n
            case "retryAfter": retryAfter = value.isEmpty ? nil : Int(value); if !value.isEmpty && retryAfter == nil { throw bad() }
            case "slowSeconds": guard let s = Double(value), s >= 0, s <= 120 else { throw bad() }; slowSeconds = s
            case "conflict": guard let b = Bool(value) else { throw bad() }; conflict = b
            case "dropAttribute": dropAttribute = value.isEmpty ? nil : value
            case "rejectUsers": guard let b = Bool(value) else { throw bad() }; rejectUsers = b
            default:
                throw MockError(.mockBadOption, field: name, detail: "faults are \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }
}
