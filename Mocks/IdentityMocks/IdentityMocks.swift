/// The mock parties as a library for an application's own tests (`swift test`): a mock
/// OpenID Provider or SAML IdP started in-process on a free loopback port, users and
/// faults set in code, tokens minted, and what the mock saw read back — no container, no
/// fixed port, nothing to clean up but `stop()`.
///
/// ```swift
/// .testTarget(name: "MyAppTests", dependencies: [
///     "MyApp", .product(name: "IdentityMocks", package: "identity-harness"),
/// ])
/// ```
///
/// Everything of the mocks is re-exported (``MockIdentityProvider``, ``IdPFault``,
/// ``TokenMint``, ``IdPObservation``), with the claim values (OIDC) and the clocks a test
/// may fix (IdentityCore's `FixedWallClock`), so one import is enough.
import Foundation
import HTTPServing
@_exported public import IdentityCore
@_exported public import MockSupport
@_exported public import OIDC

/// A profile built in code, checked as a file's would be, served on 127.0.0.1 and a free
/// port (key files, if it named any, relative to the working directory).
func startInProcess(_ profile: IdPProfile, clock: any WallClock) async throws -> (MockIdentityProvider, InProcessServer) {
    try profile.validate()
    let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let provider = try await MockIdentityProvider(
        profile: profile, directory: directory, placeholders: Placeholders(values: [:], baseDirectory: directory), clock: clock,
        random: SystemRandomSource())
    return (provider, try await provider.start(host: "127.0.0.1"))
}

/// A mock started in the test process, stopped when the test is done with it.
public protocol InProcessMock: Sendable {
    func stop() async
}

/// Runs `body` with `mock` and stops it however `body` ends (a `defer` cannot await).
func stopping<Mock: InProcessMock, Result>(_ mock: Mock, _ body: (Mock) async throws -> Result) async throws -> Result {
    do {
        let result = try await body(mock)
        await mock.stop()
        return result
    } catch {
        await mock.stop()
        throw error
    }
}
