import Foundation
import IdentityCore
import IdentityMocks
import Testing

/// The debugger page (`/_mock/debugger`) in a real browser: headless Chromium starts a
/// code flow at an in-process mock, follows it to the result page, and the page's script
/// decodes the tokens with no script error.
@Suite struct DebuggerInChromiumTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func chromiumIsInstalledWhereCIRuns() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.chromium != nil, "CI must install chromium (.ci/run does: apt-get install chromium)")
        }
    }

    @Test(.enabled(if: chromium != nil, "needs chromium: apt-get install chromium"))
    func theDebuggerRunsACodeFlowAndItsScriptDecodesTheTokens() async throws {
        let idp = try await MockOpenIDProvider.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-debugger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = idp.baseURL + "/_mock/debugger/start?" + URLEncoding.query([
            ("discovery", idp.discoveryURL), ("client_id", "debugger"), ("scope", "openid email"), ("login_hint", "alice"),
        ])
        let (dom, log) = try await Self.chromium([
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(directory.path)",
            "--enable-logging=stderr", "--v=0", "--dump-dom", start,
        ])
        await idp.stop()
        #expect(dom.contains("<body data-debugger=\"ready\">"), "the page's script ran: \(dom.prefix(300))")
        #expect(dom.contains("data-observe=\"outcome\">tokens<"))
        #expect(dom.contains("data-name=\"id_token\" data-decoded=\"true\"") && dom.contains("data-name=\"access_token\" data-decoded=\"true\""))
        // What the script wrote: the ID token's claims and the access token's RFC 9068 header.
        #expect(dom.contains("\"sub\": \"alice\"") && dom.contains("\"email\": \"alice@example.com\"") && dom.contains("\"typ\": \"at+jwt\""))
        #expect(dom.contains("<h2>Userinfo</h2>"))
        let errors = log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        #expect(errors.isEmpty, "console: \(errors)")
        #expect(idp.observations.map(\.action).starts(with: ["discovery", "authorize", "login", "token"]))
    }

    /// Runs Chromium to the end without holding a thread of the test's executor (the mock
    /// it talks to answers on those).
    static func chromium(_ arguments: [String]) async throws -> (stdout: String, stderr: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ih-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch { done.resume() }
        }
        return (try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }
}
