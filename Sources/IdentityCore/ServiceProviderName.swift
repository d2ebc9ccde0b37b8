/// SP-1: the rule for service provider names.
///
/// A name is required, at most 255 characters,, unique (enforced by the store) and made only of letters, digits,
/// `.`, `-`, `_` and spaces. The error names the first bad character so a person can fix
/// the name without guessing.
public enum ServiceProviderName {
    public static let maximumLength = 255

    public static func validate(_ name: String) throws(IdentityError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw IdentityError(.spInvalidName, field: "name", value: name, detail: "a service provider name is required")
        }
        if name.count > maximumLength {
            throw IdentityError(.spInvalidName, field: "name", value: String(name.prefix(40)) + "…",
                                detail: "a service provider name is at most \(maximumLength) characters")
        }
        for (offset, character) in name.enumerated() where !isAllowed(character) {
            let shown = character.unicodeScalars.map { scalar in
                scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
                    ? String(format: "U+%04X", scalar.value) : "'\(scalar)' (U+\(String(format: "%04X", scalar.value)))"
            }.joined()
            throw IdentityError(.spInvalidName, field: "name", value: name,
                                detail: "character \(shown) at position \(offset + 1) is not allowed; use letters, digits, '.', '-', '_' and spaces")
        }
    }

    /// ASCII letters and digits only: "letters" deliberately excludes look-alike letters
    /// from other scripts, so two names that render the same are the same name.
    private static func isAllowed(_ c: Character) -> Bool {
        guard c.isASCII, let byte = c.asciiValue else { return false }
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: " "), UInt8(ascii: "."),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

import Foundation
