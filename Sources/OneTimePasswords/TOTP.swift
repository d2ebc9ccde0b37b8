import Crypto
public import Foundation

/// RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1,
/// 30-second steps, 6 digits; a code is accepted for the current step and one either
/// side (clock drift), and each step's code once.
public enum TOTP {
    public static let period: TimeInterval = 30
    public static let digits = 6

    /// The time step of `date` (RFC 6238 §4.2).
    public static func step(at date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970) / period)
    }

    /// The code for `step` (RFC 4226 §5.3 dynamic truncation).
    public static func code(secret: [UInt8], step: UInt64) -> String {
        let counter = withUnsafeBytes(of: step.bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let code = value % 1_000_000
        return String(repeating: "0", count: digits - String(code).count) + String(code)
    }

    /// The step `code` is valid for near `date` (±1 step), or nil.
    public static func matchingStep(_ code: String, secret: [UInt8], at date: Date) -> UInt64? {
        let now = step(at: date)
        for candidate in [now, now &- 1, now &+ 1] where constantTimeEquals(code, Self.code(secret: secret, step: candidate)) {
            return candidate
        }
        return nil
    }

    /// `otpauth://totp/…` (the Key URI Format authenticator apps read from a QR code).
    public static func uri(secret: String, account: String, issuer: String) -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: ":@"))) ?? account
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? issuer)&algorithm=SHA1&digits=6&period=30"
    }
}

/// RFC 4648 base32 without padding, as TOTP secrets are written.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var result = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: result, as: UTF8.self)
    }

    /// Nil for anything that is not base32 (spaces and lower case are accepted).
    public static func decode(_ text: String) -> [UInt8]? {
        var result = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased().utf8 where character != UInt8(ascii: " ") && character != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                result.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return result
    }
}

/// Equal strings, compared without an early exit (a code's digits are not revealed by timing).
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
