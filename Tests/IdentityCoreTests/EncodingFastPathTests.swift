import Foundation
import IdentityCore
import Testing

/// The byte-level encoders written for speed (issue 15) give exactly what the Foundation
/// routines they replaced gave, including where input is malformed.
@Suite struct EncodingFastPathTests {
    /// The replaced implementation: Foundation's base64, then the URL-safe alphabet.
    static func foundationBase64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func base64URLMatchesFoundationForEveryLengthAndByte() {
        let random = SeededRandomSource(seed: 15)
        for length in 0...70 {
            let bytes = random.bytes(length)
            #expect(Base64URL.encode(bytes) == Self.foundationBase64URL(bytes), "length \(length)")
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == Data(bytes))
        }
        let every = (0...255).map(UInt8.init)
        #expect(Base64URL.encode(every) == Self.foundationBase64URL(every))
    }

    @Test func base64URLDecodingStillRefusesWhatIsNotBase64() {
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("ab!d") == nil)
        #expect(Base64URL.decode("") == Data())
    }

    @Test func percentDecodingMatchesFoundation() {
        let cases = [
            "plain", "a+b", "a%2Bb", "%41%42", "%e2%82%ac", "%E2%82%AC+euro", "caf%C3%A9", "über", "%", "%4", "%G1", "%zz",
            "%FF", "%C3", "100%", "a%%20b", "+%20+", "",
        ]
        for value in cases {
            let foundation = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            #expect(URLEncoding.decode(Substring(value)) == foundation, "\(value)")
        }
    }

    @Test func aLeadingByteOrderMarkIsKeptNotDropped() {
        // CoreFoundation's percent-decoding dropped it, so `%EF%BB%BFalice` read as `alice`.
        #expect(URLEncoding.decode("%EF%BB%BFalice") == "\u{FEFF}alice")
        #expect(URLEncoding.decode("\u{FEFF}alice") == "\u{FEFF}alice")
    }

    @Test func systemRandomBytesAreTheCountAskedAndDiffer() {
        let source = SystemRandomSource()
        #expect(source.bytes(0).isEmpty)
        #expect(source.bytes(300).count == 300)
        // 256 bits twice: equal only if the generator is broken.
        #expect(source.bytes(32) != source.bytes(32))
        #expect(source.token() != source.token())
    }
}
