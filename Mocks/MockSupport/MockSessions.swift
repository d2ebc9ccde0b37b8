import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Synchronization
import XMLSecurity

/// Browser sessions for a mock SP or RP that stands in for an application under test
/// (the harness's control run, `harness run --app Targets/apps/mock-sp.yaml`). Off unless
/// the profile says `sessions: true`: a `Set-Cookie` on the ACS or callback would show in
/// every committed vector's hops.
///
/// A login the mock accepted starts a session (`mock-session` cookie, host-only, HttpOnly,
/// SameSite=Lax); `GET /whoami` answers 200 with whom the session is for, and otherwise
/// 302 to `/login`, as the protected page of a real application does. That page is the
/// oracle the app runner reads, so the control run judges our mocks exactly as it judges
/// mod_auth_mellon.
final class MockSessions: Sendable {
    static let cookieName = "mock-session"
    let sessions = Mutex<[String: String]>([:])

    /// Starts a session for `subject`; the `Set-Cookie` value to send.
    func start(for subject: String, random: any RandomSource) -> String {
        let id = random.token()
        sessions.withLock { $0[id] = subject }
        return "\(Self.cookieName)=\(id); Path=/; HttpOnly; SameSite=Lax"
    }

    func clear() { sessions.withLock { $0.removeAll() } }

    /// The protected page: whom this browser is signed in as, or a redirect to log in.
    func whoami(_ request: Request, observe: String) -> Response {
        let cookies = request.headers[values: .cookie].flatMap { $0.split(separator: ";") }
        let id = cookies.lazy.map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix(Self.cookieName + "=") }?.dropFirst(Self.cookieName.count + 1)
        guard let id, let subject = sessions.withLock({ $0[String(id)] }) else {
            return Response(status: .found, headers: [.location: "/login"])
        }
        return MockHTTP.page(
            "app-whoami", title: "signed in", "<p>signed in as <strong data-observe=\"\(observe)\">\(MarkupEscaping.attribute(subject))</strong></p>")
    }

    /// Adds the session cookie to an answer.
    static func setting(_ cookie: String?, on response: Response) -> Response {
        guard let cookie else { return response }
        var response = response
        response.headers.append(HTTPField(name: .setCookie, value: cookie))
        return response
    }
}
