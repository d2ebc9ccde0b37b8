public import ArgumentParser
import AuthFramework
import Foundation
import IdentityCore

/// `identity-server password-hash-rate [--iterations N] [--seconds S]`: the raw rate of the
/// server's own PBKDF2 (BoringSSL through swift-crypto) on one thread.
///
/// A fresh login's cost is this hash plus the flow around it; the load benchmark
/// (`Benchmarks/run`) subtracts this figure from the server's CPU time per login to show
/// what the flow itself costs. Another implementation's rate (`openssl kdf`) would not do:
/// OpenSSL 3's `openssl kdf` takes nearly three times as long per iteration on the same machine.
public struct PasswordHashRateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "password-hash-rate",
        abstract: "Measure this server's PBKDF2-HMAC-SHA256 on one thread: milliseconds per password hash.")

    @Option(help: "PBKDF2 iterations per hash (the sample configuration's is 100000).")
    var iterations = 100_000

    @Option(help: "Seconds to keep hashing.")
    var seconds = 2.0

    public init() {}

    public func validate() throws {
        guard iterations >= 1, seconds > 0 else { throw ValidationError("--iterations must be at least 1 and --seconds positive") }
    }

    public func run() throws {
        let hasher = PasswordHasher(iterations: iterations, random: SystemRandomSource())
        let encoded = hasher.hash("password-hash-rate")
        let clock = ContinuousClock()
        let start = clock.now
        var hashes = 0
        repeat {
            guard hasher.verify("password-hash-rate", against: encoded) else { throw ValidationError("the hash did not verify") }
            hashes += 1
        } while (clock.now - start) < .milliseconds(Int(seconds * 1000))
        let elapsed = clock.now - start
        let milliseconds = (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15) / Double(hashes)
        print(String(format: "pbkdf2-sha256 %d iterations: %.2f ms per hash (%d hashes on one thread)", iterations, milliseconds, hashes))
    }
}
