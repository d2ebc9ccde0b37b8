public import AsyncHTTPClient
public import Foundation
import HTTPServing

/// The reference `identity-server` started as a process of its own (benchmarks, the
/// conformance-mode test, crash tests): on a free loopback port, waited for until its
/// health check answers, stopped with SIGTERM.
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is only touched at start and stop.
    public let baseURL: String
    private let process: Process

    private init(baseURL: String, process: Process) {
        self.baseURL = baseURL
        self.process = process
    }

    /// `identity-server` next to the running executable (`.build/<config>/`).
    public static func executableBesideThisOne() -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("identity-server")
    }

    /// Starts `executable` with `arguments` plus `--host 127.0.0.1 --port <port>` (0, the
    /// kernel's choice, unless given) and `--port-file`, its output going to `log` (or
    /// nowhere), and returns once it has written its address there and `/health` answers.
    /// The port file is what makes this safe beside other tests: a port picked in advance
    /// can be taken by someone else before the server binds it, and a health check on it
    /// would then be answered by the wrong server.
    public static func start(
        executable: URL, arguments: [String], port: Int = 0, environment: [String: String] = [:], log: URL? = nil,
        client: HTTPClient
    ) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ScenarioError.setup("no identity-server executable at \(executable.path): build it first (swift build --product identity-server)")
        }
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("ih-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: portFile) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--host", "127.0.0.1", "--port", String(port), "--port-file", portFile.path]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        let seeLog = log.map { "; see \($0.path)" } ?? ""
        for _ in 0..<300 {
            if !process.isRunning {
                throw ScenarioError.setup("identity-server exited with status \(process.terminationStatus) before listening" + seeLog)
            }
            if let written = try? String(contentsOf: portFile, encoding: .utf8) {
                let server = ServerProcess(baseURL: written.trimmingCharacters(in: .whitespacesAndNewlines), process: process)
                if let response = try? await client.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(2)),
                    response.status == .ok
                {
                    return server
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        ServerProcess(baseURL: "", process: process).stop()
        throw ScenarioError.setup("identity-server did not start listening within 30 s" + seeLog)
    }

    /// The port it listens on (to restart a server where it was, as crash tests do).
    public var port: Int { URLComponents(string: baseURL)?.port ?? 0 }

    public var isRunning: Bool { process.isRunning }

    /// SIGTERM, and waits for it to exit; its exit status (0 for a clean shutdown).
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// SIGKILL: no shutdown of any kind (crash tests).
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Free loopback ports.
public enum LoopbackPort {
    /// A port nothing listens on now on 127.0.0.1 (the kernel's choice for a bind to 0).
    public static func free() throws -> Int {
        try ReservedLoopbackPort().port
    }

    /// A free port below Linux's ephemeral range (32768–60999), for a server stopped and
    /// started again on the same port (a crash test). A port from `free()` is one the
    /// kernel also hands out as the source port of outgoing connections: while the server
    /// is down, any connection made by the tests running beside it can take it, and the
    /// restart fails to bind.
    public static func restartable() throws -> Int {
        for _ in 0..<200 {
            if let reserved = try? ReservedLoopbackPort(port: UInt16.random(in: 20_000..<32_000)) { return reserved.port }
        }
        throw ReservedLoopbackPort.Unavailable()
    }
}
