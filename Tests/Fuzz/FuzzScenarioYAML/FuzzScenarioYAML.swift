import Foundation
import FuzzSupport
import ScenarioFormat
import StrictYAML

/// libFuzzer target: bytes as a scenario file through the strict YAML loader (duplicate
/// keys, unknown fields, aliases, types) into `Scenario`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.data(data, size)
    _ = try? StrictYAML.decode(Scenario.self, from: bytes, file: "fuzz.yaml")
    return 0
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzScenarioYAML", fuzzScenarioYAML) }
}
#endif
