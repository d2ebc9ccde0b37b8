public import Foundation

/// SAML `xs:dateTime` values: always written in UTC as `2026-01-01T00:00:00Z`
/// (SAML core §1.3.3: no time zone offsets); read with or without fractional seconds.
public enum SAMLTime {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    public static func date(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        if let d = try? plain.parse(text) { return d }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!).parse(text)
    }
}
