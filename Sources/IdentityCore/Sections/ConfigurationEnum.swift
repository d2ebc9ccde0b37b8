/// A closed set of values a configuration names by string (`rsa-sha256`,
/// `client_secret_post`): decoding an unknown one fails with the allowed values listed,
/// which a strict decoder reports at the value's line as `config.invalid_value`.
public protocol ConfigurationEnum: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {}

extension ConfigurationEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(raw)' is not allowed here; use one of \(Self.allowedValues)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The allowed values, comma-separated, for messages.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
