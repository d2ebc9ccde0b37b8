import Foundation

/// AU-9: one canonical form for usernames, RFC 8265's UsernameCaseMapped profile, so two
/// texts that a person reads as the same name are the same account.
///
/// Enforcement, in the RFC's order (§3.3.2): the Width Mapping Rule (fullwidth `ｂｏｂ` is
/// `bob`), the Case Mapping Rule (Unicode toLowerCase), NFC, then the PRECIS
/// IdentifierClass (RFC 8264 §4.2: letters, digits and printable ASCII; no spaces, symbols,
/// controls or compatibility characters). On top of the RFC, a name mixing scripts is
/// refused (UTS #39 §5.2 "Highly Restrictive": one script, or Latin with the scripts a
/// Japanese, Chinese or Korean name uses): `bоb` with a Cyrillic `о` is not a second
/// `bob`. What the RFC leaves out and this does too: the Bidi Rule (RFC 5893) — the
/// script rule already keeps left-to-right and right-to-left letters apart — and
/// whole-script confusables (`раураl`, all Cyrillic), which need a confusables table.
public enum UsernameProfile {
    public static let maximumLength = 64

    /// The canonical form: what stores compare and index. Throws when the text cannot be
    /// a username at all.
    public static func canonical(_ username: String) throws(IdentityError) -> String {
        let canonical = enforced(username)
        try check(canonical, as: username)
        return canonical
    }

    /// Why `username` cannot be one, if it cannot.
    public static func problem(with username: String) -> UsernameProblem? {
        problem(enforced(username))
    }

    /// RFC 8265 §3.3.2 steps 1–4: width, case, NFC.
    static func enforced(_ username: String) -> String {
        mappedWidth(username).lowercased().precomposedStringWithCanonicalMapping
    }

    /// The form an account keeps and shows: width-mapped and NFC, its case as typed
    /// (`Alice` stays `Alice`; it is still the same account as `alice`).
    public static func display(_ username: String) throws(IdentityError) -> String {
        _ = try canonical(username)
        return mappedWidth(username).precomposedStringWithCanonicalMapping
    }

    /// The canonical form, or nil when the text cannot be a username: for lookups, where
    /// a name that cannot exist simply finds nobody.
    public static func lookupKey(_ username: String) -> String? {
        try? canonical(username)
    }

    /// RFC 8265 Width Mapping Rule.
    static func mappedWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let mapped = UsernameUnicodeTables.widthMappings[scalar.value], let replacement = Unicode.Scalar(mapped) {
                scalars.append(replacement)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func check(_ canonical: String, as typed: String) throws(IdentityError) {
        if let problem = problem(canonical) { throw problem.error(typed) }
    }

    /// What keeps an enforced (canonical) text from being a username, if anything.
    static func problem(_ canonical: String) -> UsernameProblem? {
        guard !canonical.isEmpty else { return .empty }
        guard canonical.count <= maximumLength else { return .tooLong }
        for (offset, scalar) in canonical.unicodeScalars.enumerated() where !isIdentifierCharacter(scalar) {
            return .character(scalar, position: offset + 1)
        }
        // `/` separates a user store from the name (`SECONDARY/alice`) and an identity
        // provider from a federated subject (`google/1234`): never part of a name itself.
        if canonical.contains("/") { return .slash }
        let scripts = Set(canonical.unicodeScalars.compactMap(script))
        if !isHighlyRestrictive(scripts) { return .mixedScripts(scripts.sorted()) }
        return nil
    }

    /// RFC 8264 §8's derived property, IdentifierClass: PVALID code points only. The
    /// contextual ones (CONTEXTJ joiners, CONTEXTO such as the middle dot) are refused
    /// rather than checked in context: usernames do not need them.
    static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007].contains(value) { return true }  // RFC 5892 §2.6 PVALID exceptions
        if value >= 0x21 && value <= 0x7E { return true }  // ASCII7
        let properties = scalar.properties
        if properties.generalCategory == .unassigned || properties.isJoinControl || properties.isDefaultIgnorableCodePoint
            || properties.isNoncharacterCodePoint || properties.generalCategory == .control
        {
            return false
        }
        // Old Hangul Jamo (conjoining jamo) are disallowed; precomposed syllables are letters.
        if (0x1100...0x11FF).contains(value) || (0xA960...0xA97F).contains(value) || (0xD7B0...0xD7FF).contains(value) { return false }
        // HasCompat: a code point NFKC changes is disallowed in identifiers.
        if String(scalar).precomposedStringWithCompatibilityMapping != String(scalar) { return false }
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter, .nonspacingMark, .spacingMark:
            return true
        default:
            return false
        }
    }

    /// The code point's script, nil for Common and Inherited (digits, ASCII punctuation,
    /// combining marks), which go with any script.
    static func script(_ scalar: Unicode.Scalar) -> String? {
        let ranges = UsernameUnicodeTables.scriptRanges
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if scalar.value < range.start {
                high = middle - 1
            } else if scalar.value > range.end {
                low = middle + 1
            } else {
                return UsernameUnicodeTables.scriptNames[Int(range.script)]
            }
        }
        return nil
    }

    /// UTS #39 §5.2 Highly Restrictive: a single script, or a set covered by Latin + Han +
    /// Hiragana + Katakana, Latin + Han + Bopomofo, or Latin + Han + Hangul.
    static func isHighlyRestrictive(_ scripts: Set<String>) -> Bool {
        if scripts.count <= 1 { return true }
        let allowed: [Set<String>] = [
            ["Latin", "Han", "Hiragana", "Katakana"], ["Latin", "Han", "Bopomofo"], ["Latin", "Han", "Hangul"],
        ]
        return allowed.contains { scripts.isSubset(of: $0) }
    }

}

/// Why a text cannot be a username: as an error with a stable code for APIs and files, and
/// in words for the person at a page.
public enum UsernameProblem: Sendable, Equatable {
    case empty, tooLong, slash
    case character(Unicode.Scalar, position: Int)
    case mixedScripts([String])

    public func error(_ typed: String) -> IdentityError {
        switch self {
        case .empty: IdentityError(.userInvalidUsername, field: "username", detail: "a username is required")
        case .tooLong:
            IdentityError(.userInvalidUsername, field: "username", detail: "a username is at most \(UsernameProfile.maximumLength) characters")
        case .slash: IdentityError(.userInvalidUsername, field: "username", value: typed, detail: "a username cannot contain '/'")
        case .character(let scalar, let position):
            IdentityError(
                .userInvalidUsername, field: "username", value: typed,
                detail: "character \(Self.describe(scalar)) at position \(position) cannot be part of a username (RFC 8265: letters, digits and printable ASCII)")
        case .mixedScripts(let scripts):
            IdentityError(
                .userUsernameMixedScripts, field: "username", value: typed,
                detail: "a username mixes the scripts \(scripts.joined(separator: ", ")); letters that look alike across scripts would make look-alike accounts")
        }
    }

    /// For the person choosing a username.
    public var message: String {
        switch self {
        case .empty: "Choose a username."
        case .tooLong: "At most \(UsernameProfile.maximumLength) characters."
        case .slash, .character: "Use letters, digits and ASCII punctuation, without spaces or '/'."
        case .mixedScripts: "Use the letters of one script: this name mixes look-alike letters from different alphabets."
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        return scalar.properties.isWhitespace || scalar.properties.generalCategory == .control ? code : "'\(scalar)' (\(code))"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
