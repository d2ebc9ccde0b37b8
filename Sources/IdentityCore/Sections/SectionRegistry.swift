/// The section types a decoder accepts, handed in through `Decoder.userInfo` under
/// `SectionRegistry.userInfoKey` by whoever decodes service or identity providers (the
/// configuration loader, the admin API, a storage backend reading its rows).
public struct SectionRegistry: @unchecked Sendable {
    // @unchecked: metatypes of Sendable types are immutable and safe to share; the
    // existential metatype array just is not inferred as such.
    public let serviceProviderSections: [any ServiceProviderSection.Type]
    public let identityProviderSections: [any IdentityProviderSection.Type]

    public static let userInfoKey = CodingUserInfoKey(rawValue: "IdentityCore.SectionRegistry")!

    public init(serviceProviderSections: [any ServiceProviderSection.Type] = [], identityProviderSections: [any IdentityProviderSection.Type] = []) {
        self.serviceProviderSections = serviceProviderSections
        self.identityProviderSections = identityProviderSections
    }

    /// The userInfo dictionary a decoder needs to decode providers with these sections.
    public var userInfo: [CodingUserInfoKey: any Sendable] { [Self.userInfoKey: self] }

    static func from(_ decoder: any Decoder) -> SectionRegistry? {
        decoder.userInfo[userInfoKey] as? SectionRegistry
    }
}

extension CodingUserInfoKey {
    /// Set (to `true`) by a decoder that reports every key a type did not read, as
    /// StrictYAML does: a provider then leaves an unknown section to it instead of
    /// refusing it itself.
    public static let reportsUnreadKeys = CodingUserInfoKey(rawValue: "IdentityCore.reportsUnreadKeys")!
}

/// Coding keys whose known set is not fixed at compile time; a strict decoder asks for
/// them to suggest a key when it meets a misspelt one.
public protocol OpenCodingKeys: CodingKey {
    static func knownKeys(userInfo: [CodingUserInfoKey: Any]) -> [String]
}

/// A section key of a service provider document.
struct ServiceProviderSectionKey: OpenCodingKeys {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static func knownKeys(userInfo: [CodingUserInfoKey: Any]) -> [String] {
        (userInfo[SectionRegistry.userInfoKey] as? SectionRegistry)?.serviceProviderSections.map { $0.key } ?? []
    }
}

/// A section key of an identity provider document.
struct IdentityProviderSectionKey: OpenCodingKeys {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static func knownKeys(userInfo: [CodingUserInfoKey: Any]) -> [String] {
        (userInfo[SectionRegistry.userInfoKey] as? SectionRegistry)?.identityProviderSections.map { $0.key } ?? []
    }
}
