import Foundation
import ScenarioKit
import TestSupport

/// Python programs we did not write (authlib, pysaml2) that the interop tests run against
/// the server: found under `Tests/Interop`, run with `python3` from the PATH.
enum Python {
    static let interop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop")

    static func script(_ name: String) -> URL { interop.appendingPathComponent(name) }

    /// Whether `python3 -c "import <modules>"` works.
    static func canImport(_ modules: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(modules)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs a script to its end; its output and errors together. `environment` is added to
    /// this process's (`REQUESTS_CA_BUNDLE` for a server on https).
    static func run(_ script: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Blocking reads happen off the concurrency pool: the script talks to a server in
        // this process, which needs those threads.
        let data = await OffPool.run {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts a long-running script (a server) and waits for its `READY <value>` line.
    static func start(_ script: URL, _ arguments: [String]) async throws -> (process: Process, ready: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let line = await OffPool.run { () -> String in
            var buffer = Data()
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                let text = String(decoding: buffer, as: UTF8.self)
                if let ready = text.split(separator: "\n").first(where: { $0.hasPrefix("READY") }) { return String(ready) }
            }
            return String(decoding: buffer, as: UTF8.self)
        }
        guard line.hasPrefix("READY") else {
            stop(process)
            throw PythonFailure(output: line)
        }
        return (process, String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces))
    }

    /// Stops a script started by `start` with SIGKILL and waits for it. Not SIGTERM: the
    /// test process ignores SIGTERM (swift-service-lifecycle sets SIG_IGN to watch for it
    /// through Dispatch), and an ignored signal stays ignored across exec, so a terminated
    /// script lived on after the tests ended.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "the script stopped before it was ready:\n\(output)" }
    }
}

/// A server on https for an interop script: a CA made for the test, its certificate in a
/// file the script's `requests` trusts (`REQUESTS_CA_BUNDLE`), removed with `cleanUp`.
struct InteropTLS {
    let tls: RunTLS
    let caFile: URL

    static func make() throws -> InteropTLS {
        let tls = try RunTLS.make()
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("ih-interop-ca-\(UUID().uuidString).pem")
        try tls.caCertificatePEM.write(to: caFile, atomically: true, encoding: .utf8)
        return InteropTLS(tls: tls, caFile: caFile)
    }

    var environment: [String: String] { ["REQUESTS_CA_BUNDLE": caFile.path] }

    func cleanUp() { try? FileManager.default.removeItem(at: caFile) }
}
