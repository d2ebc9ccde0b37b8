import Foundation
import FuzzSupport
import OIDC

/// libFuzzer target: the first line is a registered callback (exact, or `regexp=…`), the
/// rest a redirect_uri to match against it — registration checks and matching, including
/// a registered regular expression against hostile input (it must not hang).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedirectURI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let registered = String(parts.first ?? "")
    let uri = parts.count > 1 ? String(parts[1]) : ""
    if RedirectURIMatcher.isValidRegistration(registered) {
        _ = RedirectURIMatcher.matches(uri, registered: [registered])
    }
    _ = RedirectURIMatcher.matches(registered, registered: [uri, uri + "/"])
    return 0
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzRedirectURI", fuzzRedirectURI) }
}
#endif
