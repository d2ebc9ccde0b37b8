public import OIDC
public import StrictYAML

/// Claims move between two shapes: as a profile or a login page writes them (YAML read as
/// ``ConfigValue``, keys in order) and as tokens carry them (JSON ``ClaimValue``).
extension MockIdentityProvider {
    /// An object's members as claims. A YAML null (GitHub's `email: null`) leaves the
    /// member out; anything but an object has none.
    static func claims(_ value: ConfigValue) -> [String: ClaimValue] {
        guard case .object(let pairs) = value else { return [:] }
        return Dictionary(pairs.filter { $0.1 != .null }.map { ($0.0, claimValue($0.1)) }, uniquingKeysWith: { first, _ in first })
    }

    static func claimValue(_ value: ConfigValue) -> ClaimValue {
        switch value {
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .int(let i): .number(i)
        case .double(let d): .string(String(d))
        case .array(let items): .array(items.map(claimValue))
        case .object: .object(claims(value))
        case .null: .string("")
        }
    }
}

extension ConfigValue {
    /// A claim as a profile would have written it (object members in key order).
    public init(claim: ClaimValue) {
        switch claim {
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .int(n)
        case .array(let items): self = .array(items.map(ConfigValue.init(claim:)))
        case .object(let members): self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, ConfigValue(claim: $0.value)) })
        }
    }
}

extension IdPProfile.TestUser {
    /// A test user with claims written in code.
    public init(username: String, id: String, claims: [String: ClaimValue]) {
        self.init(username: username, id: id, claims: ConfigValue(claim: .object(claims)))
    }
}

extension IdPProfile.RequestMapping {
    /// A request mapping with claims written in code.
    public init(match: [String: String], claims: [String: ClaimValue]) {
        self.init(match: match, claims: ConfigValue(claim: .object(claims)))
    }
}
