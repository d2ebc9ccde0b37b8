/// The protocol sections one provider carries, by key. Equality and hashing go through
/// each section's own, so two providers with equal sections are equal.
public struct Sections: Hashable, Sendable {
    private var byKey: [String: any ConfigurationSection] = [:]

    public init() {}

    public init(_ sections: [any ConfigurationSection]) {
        for section in sections { byKey[type(of: section).key] = section }
    }

    public subscript<S: ConfigurationSection>(_ type: S.Type) -> S? {
        get { byKey[S.key] as? S }
        set { byKey[S.key] = newValue }
    }

    /// Sorted by key, so encoding is deterministic.
    public var all: [any ConfigurationSection] { byKey.keys.sorted().compactMap { byKey[$0] } }

    public var isEmpty: Bool { byKey.isEmpty }

    public static func == (lhs: Sections, rhs: Sections) -> Bool {
        guard Set(lhs.byKey.keys) == Set(rhs.byKey.keys) else { return false }
        return lhs.byKey.allSatisfy { key, value in
            guard let other = rhs.byKey[key] else { return false }
            return AnyHashable(value) == AnyHashable(other)
        }
    }

    public func hash(into hasher: inout Hasher) {
        for section in all { hasher.combine(AnyHashable(section)) }
    }

    /// Reads every key of `decoder`'s mapping that `types` names (keys in `coreKeys` are
    /// the provider's own). A key neither names is left unread for a decoder that reports
    /// unread keys itself (StrictYAML: "unknown key" at its line, with the registered keys
    /// as suggestions); any other decoder (a store reading its rows) is refused, since it
    /// would drop a section it was not told about and the next write would lose it.
    static func decode<Key: OpenCodingKeys>(
        from decoder: any Decoder, keyedBy: Key.Type, coreKeys: Set<String>, types: [any ConfigurationSection.Type]
    ) throws -> Sections {
        let container = try decoder.container(keyedBy: Key.self)
        var sections = Sections()
        for key in container.allKeys where !coreKeys.contains(key.stringValue) {
            guard let type = types.first(where: { $0.key == key.stringValue }) else {
                if decoder.userInfo[.reportsUnreadKeys] as? Bool == true { continue }
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "no protocol section '\(key.stringValue)' is registered with this decoder (it knows \(types.map { $0.key }.sorted().joined(separator: ", ")))")
            }
            let section = try type.init(from: container.superDecoder(forKey: key))
            sections.byKey[type.key] = section
        }
        return sections
    }

    func encode<Key: CodingKey>(to encoder: any Encoder, keyedBy: Key.Type) throws {
        var container = encoder.container(keyedBy: Key.self)
        for section in all {
            guard let key = Key(stringValue: type(of: section).key) else { continue }
            try section.encode(to: container.superEncoder(forKey: key))
        }
    }

    /// Every section replaced by what `transform` makes of it.
    func mapping(_ transform: (any ConfigurationSection) -> any ConfigurationSection) -> Sections {
        var copy = self
        for (key, value) in byKey { copy.byKey[key] = transform(value) }
        return copy
    }
}
