import Foundation
import FuzzSupport
import IdentityCore
import SAML
import XMLSecurity

/// libFuzzer target: bytes as a SAML message through the safe XML parser and the
/// Response validator (with the DSig verifier and, for an EncryptedAssertion, the XML
/// Encryption decryptor behind it; CBC allowed, to reach its padding code), as the SAML connector reads a
/// federated answer, and through the logout message readers (SA-10), as `/samlsso`
/// reads what an SP sends. Any throw is a refusal and fine; a crash or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.data(data, size)
    guard let document = try? SafeXMLParser.parse(bytes) else { return 0 }
    _ = try? SAMLResponseValidator(clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000))).validate(
        document,
        expecting: .init(
            idpEntityID: "https://partner-idp.example/saml", trusted: Fuzz.trusted, audience: "https://identity-server.example/sp",
            acsURL: "https://identity-server.example/commonauth", outstandingRequestIDs: ["_request-1"], allowUnsolicited: true,
            decryptor: Fuzz.decryptor, acceptsUnauthenticatedCBC: true))
    _ = try? LogoutRequest(element: document.root)
    _ = try? LogoutResponse(element: document.root)
    _ = document.serialized()
    return 0
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzSAML", fuzzSAML) }
}
#endif
