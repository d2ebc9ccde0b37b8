import Foundation
import FuzzSupport
import XMLSecurity

/// libFuzzer target: every signed element of a parsed document through the XML-DSig
/// verifier (profile checks, exclusive c14n, digests, RSA/ECDSA verification).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLDSig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.data(data, size)
    guard let document = try? SafeXMLParser.parse(bytes) else { return 0 }
    let verifier = XMLSignatureVerifier(trusted: Fuzz.trusted)
    var pending = [document.root]
    var visited = 0
    while let element = pending.popLast(), visited < 256 {
        visited += 1
        if !XMLSignatureVerifier.signatures(of: element).isEmpty { _ = try? verifier.verify(element) }
        pending += element.children
    }
    return 0
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzXMLDSig", fuzzXMLDSig) }
}
#endif
