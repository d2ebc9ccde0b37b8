import AuthFramework
import IdentityCore
import Testing

/// CL-3: what a person types on the mandatory-claim page is checked for its claim type.
struct ClaimValidatorTests {
    @Test(arguments: [
        ("name@example.com", ClaimType.email), ("+94 77 123 4567", .phone), ("(020) 7946-0000", .phone), ("2000-02-29", .date),
        ("1999-12-31", .date), ("LK", .country), ("https://example.com/me", .url), ("  Builder  ", .text),
    ])
    func plausibleValuesAreAccepted(value: String, type: ClaimType) {
        #expect(ClaimValidator.problem(with: value, as: type) == nil)
    }

    @Test(arguments: [
        ("", ClaimType.text), ("   ", .text), ("name-at-example.com", .email), ("name@example", .email), ("a b@example.com", .email),
        ("call me", .phone), ("12345", .phone), ("+1+2345678", .phone), ("1990-02-30", .date), ("1900-02-29", .date),
        ("2001-13-01", .date), ("01/02/2001", .date), ("Sri Lanka", .country), ("L1", .country), ("ftp://example.com", .url),
        ("javascript:alert(1)", .url), ("tab\there", .text),
    ])
    func implausibleValuesAreRefusedWithAMessage(value: String, type: ClaimType) {
        #expect(ClaimValidator.problem(with: value, as: type) != nil)
    }

    @Test func overlongValuesAreRefused() {
        #expect(ClaimValidator.problem(with: String(repeating: "x", count: ClaimValidator.maximumLength + 1), as: .text) != nil)
        #expect(ClaimValidator.problem(with: String(repeating: "x", count: ClaimValidator.maximumLength), as: .text) == nil)
    }
}
