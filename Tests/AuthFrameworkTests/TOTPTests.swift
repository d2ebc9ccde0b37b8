import Foundation
import OneTimePasswords
import Testing

/// MF-1: RFC 6238 codes as authenticator apps compute them.
struct TOTPTests {
    /// RFC 6238 Appendix B (SHA-1 seed "12345678901234567890"), last six digits.
    @Test(arguments: [
        (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037"),
        (20_000_000_000, "353130"),
    ])
    func codesMatchTheRFC6238TestVectors(time: Int, code: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTP.code(secret: secret, step: TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))) == code)
    }

    @Test func aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        let secret = Array("12345678901234567890".utf8)
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        for offset in [-1, 0, 1] {
            let code = TOTP.code(secret: secret, step: UInt64(Int(step) + offset))
            #expect(TOTP.matchingStep(code, secret: secret, at: now) == UInt64(Int(step) + offset))
        }
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step + 2), secret: secret, at: now) == nil)
        #expect(TOTP.matchingStep(TOTP.code(secret: secret, step: step - 2), secret: secret, at: now) == nil)
    }

    @Test func base32RoundTripsAndRefusesOtherCharacters() {
        let bytes: [UInt8] = Array("Hello!\u{DE}\u{AD}".utf8)
        #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
    }

    @Test func theKeyURIIsWhatAuthenticatorAppsRead() {
        let uri = TOTP.uri(secret: "JBSWY3DPEHPK3PXP", account: "alice", issuer: "Identity Harness")
        #expect(uri.hasPrefix("otpauth://totp/Identity%20Harness%3Aalice?secret=JBSWY3DPEHPK3PXP&issuer=Identity%20Harness"))
    }
}
