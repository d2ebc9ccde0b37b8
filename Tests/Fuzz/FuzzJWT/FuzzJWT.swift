import Foundation
import FuzzSupport
import IdentityCore
import OIDC

/// libFuzzer target: bytes as a compact JWS through the JOSE header reader, the claims
/// decoder, and signature verification and ID-token validation against the vectors'
/// JWKS — what the OIDC connector does with a federated ID token.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let token = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    guard (try? JOSEHeader(token: token)) != nil else { return 0 }
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 3, let payload = Base64URL.decode(String(parts[1])) {
        _ = try? JSONDecoder().decode(IDTokenClaims.self, from: Data(payload))
    }
    // Verification is async; the fuzzer's thread waits for it.
    let done = DispatchSemaphore(value: 0)
    Task {
        if let keys = FuzzKeys.keys {
            _ = try? await IDTokenValidator(
                issuer: "https://partner-idp.example", clientID: "identity-server-client", keys: keys,
                clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000))
            ).validate(token, nonce: "n-0S6_WzA2Mj", accessToken: "SlAV32hkKG")
        }
        done.signal()
    }
    done.wait()
    return 0
}

enum FuzzKeys {
    /// The JWKS of the ID-token vectors (read once, before fuzzing starts).
    static let keys: VerificationKeySet? = {
        let path = ProcessInfo.processInfo.environment["IH_FUZZ_JWKS"] ?? "Vectors/protocol/oidc/jwks.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var keys: VerificationKeySet?
        Task {
            keys = try? await VerificationKeySet(jwks: data)
            done.signal()
        }
        done.wait()
        return keys
    }()
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzJWT", fuzzJWT) }
}
#endif
