import Foundation
public import IdentityCore

/// Checks what a person typed for a claim (CL-3): present, plausible for its type, and
/// storable. The messages are shown next to the field.
public enum ClaimValidator {
    public static let maximumLength = 256

    /// What is wrong with `raw` as a value of `type`, or nil when it is fine.
    public static func problem(with raw: String, as type: ClaimType) -> String? {
        let value = normalised(raw)
        if value.isEmpty { return "This is required." }
        if value.count > maximumLength { return "At most \(maximumLength) characters." }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "Control characters are not allowed." }
        switch type {
        case .text:
            return nil
        case .email:
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                !value.contains(" ")
            else { return "Enter an email address like name@example.com." }
            return nil
        case .phone:
            let digits = value.filter(\.isNumber)
            let allowed = value.allSatisfy { $0.isNumber || " +-()".contains($0) }
            guard allowed, (7...15).contains(digits.count), !value.dropFirst().contains("+") else {
                return "Enter a phone number of 7 to 15 digits."
            }
            return nil
        case .date:
            return isCalendarDate(value) ? nil : "Enter a date as YYYY-MM-DD."
        case .country:
            guard value.count == 2, value.allSatisfy({ $0.isASCII && $0.isLetter }) else { return "Enter a two-letter country code (ISO 3166-1)." }
            return nil
        case .url:
            guard let url = URLComponents(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                return "Enter a web address starting with https://."
            }
            return nil
        }
    }

    /// `YYYY-MM-DD` naming a day that exists (Foundation's ISO 8601 parser rolls 02-30 over
    /// into March, so the parts are checked against the proleptic Gregorian calendar here).
    static func isCalendarDate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard value.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1, (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// Surrounding whitespace does not count.
    public static func normalised(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
