import Foundation
import IdentityCore
import IdentityMocks
import Testing
import TestSupport

/// The debugger page (`/_mock/debugger`) in a real browser: headless Chromium starts a
/// code flow at an in-process mock, follows it to the result page, and the page's script
/// decodes the tokens with no script error.
@Suite struct DebuggerInChromiumTests {
    @Test func chromiumIsInstalledWhereCIRuns() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Chromium.path != nil, "CI must install chromium (.ci/run does: apt-get install chromium)")
        }
    }

    @Test(.enabled(if: Chromium.path != nil, "needs chromium: apt-get install chromium"))
    func theDebuggerRunsACodeFlowAndItsScriptDecodesTheTokens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-debugger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await MockOpenIDProvider.withRunning { idp in
            let start = idp.baseURL + "/_mock/debugger/start?" + URLEncoding.query([
                ("discovery", idp.discoveryURL), ("client_id", "debugger"), ("client_secret", "s3cret-never-shown"), ("scope", "openid email"),
                ("login_hint", "alice"),
            ])
            let browser = try await Chromium.run(Chromium.flags(profile: directory) + ["--enable-logging=stderr", "--v=0", "--dump-dom", start])
            let dom = browser.stdout
            #expect(dom.contains("<body data-debugger=\"ready\">"), "the page's script ran: \(dom.prefix(300))")
            #expect(dom.contains("data-observe=\"outcome\">tokens<"))
            #expect(dom.contains("data-name=\"id_token\" data-decoded=\"true\"") && dom.contains("data-name=\"access_token\" data-decoded=\"true\""))
            // What the script wrote: the ID token's claims and the access token's RFC 9068 header.
            #expect(dom.contains("\"sub\": \"alice\"") && dom.contains("\"email\": \"alice@example.com\"") && dom.contains("\"typ\": \"at+jwt\""))
            #expect(dom.contains("<h2>Userinfo</h2>"))
            // The secret went as HTTP Basic and the PKCE verifier is masked: neither is on the page.
            #expect(!dom.contains("s3cret-never-shown") && dom.contains("Authorization: Basic …") && dom.contains("code_verifier=%E2%80%A6"))
            let errors = browser.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
            #expect(errors.isEmpty, "console: \(errors)")
            #expect(idp.observations.map(\.action).starts(with: ["discovery", "authorize", "login", "token"]))
        }
    }
}
