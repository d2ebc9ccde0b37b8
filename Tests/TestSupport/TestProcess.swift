public import Foundation

/// Runs a program to the end with its output in files (a pipe nobody reads can stall it).
/// Shared by the test targets that run executables: the harness, mock-scim, the fuzz
/// replayers, Chromium.
public enum TestProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Awaits the program's end without holding a thread of the concurrency pool. There is
    /// no blocking form: the pool has one thread per core (two here), and a test that held
    /// one while a `harness run` child worked for seconds held up every async test in the
    /// process — a TLS handshake then missed its server's deadline (CI at 99be0af). A
    /// program still running after `deadline` is terminated, so a hung browser fails its
    /// test instead of hanging the suite.
    public static func run(
        awaiting executable: URL, _ arguments: [String], in directory: URL? = nil, deadline: Duration = .seconds(120)
    ) async throws -> Result {
        let (process, out, err, scratch) = try prepare(executable, arguments, in: directory)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let running = process
        let watchdog = Task {
            try await Task.sleep(for: deadline)
            if running.isRunning { running.terminate() }
        }
        defer { watchdog.cancel() }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch { done.resume(throwing: error) }
        } as Void
        return try result(process, out, err)
    }

    private static func prepare(_ executable: URL, _ arguments: [String], in directory: URL?) throws -> (Process, URL, URL, URL) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ih-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        return (process, out, err, scratch)
    }

    /// What the ended program wrote; its output files are closed first.
    private static func result(_ process: Process, _ out: URL, _ err: URL) throws -> Result {
        for handle in [process.standardOutput, process.standardError] { try? (handle as? FileHandle)?.close() }
        return Result(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// Headless Chromium, where it is installed: the real browser the report and the mock's
/// debugger page are opened in.
public enum Chromium {
    public static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The flags every test run needs: headless, no sandbox (root in CI), its own profile.
    public static func flags(profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)"]
    }

    public static func run(_ arguments: [String]) async throws -> TestProcess.Result {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        return try await TestProcess.run(awaiting: URL(fileURLWithPath: path), arguments)
    }
}
