import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import SAML
import Testing

/// The login flow's protections: CSRF, browser binding, expiry, session cookies.
@Suite struct LoginFlowTests {
    /// Starts a flow and returns the login page's URI.
    func startFlow(_ client: some TestClientProtocol, server: TestServer, jar: inout CookieJar) async throws -> TestResponse {
        let start = try await client.execute(uri: try server.redirectRequestURI(relayState: "rs"), method: .get, headers: jar.header)
        jar.take(start)
        let location = try #require(start.headers[.location])
        let page = try await client.execute(uri: location, method: .get, headers: jar.header)
        jar.take(page)
        return page
    }

    func submit(_ client: some TestClientProtocol, page: TestResponse, jar: CookieJar, password: String = "alice-password", csrf: String? = nil)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/commonauth", method: .post, headers: jar.header.merging(formHeaders),
            body: form([
                "sessionDataKey": page.field("sessionDataKey") ?? "", "csrf": csrf ?? page.field("csrf") ?? "", "username": "alice",
                "password": password,
            ]))
    }

    @Test func aCorrectLoginPostsASignedResponseToTheACSAndSetsASessionCookie() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            #expect(page.text.contains("<meta name=\"ih-page\" content=\"login\">"))
            let result = try await submit(client, page: page, jar: jar)
            #expect(result.status == .ok)
            #expect(result.text.contains("action=\"https://sp.test/acs\""))
            #expect(result.field("RelayState") == "rs")
            // The server's base URL is https: a Secure cookie under a __Host- name.
            let cookie = try #require(result.headers[values: .setCookie].first { $0.hasPrefix("__Host-ih_session=") })
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(try await server.runtime.storage.sessions.count() == 1)
            #expect(try await server.flowCount() == 0)
        }
    }

    @Test func aWrongCSRFTokenIsRefusedAndTheFlowSurvives() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            let forged = try await submit(client, page: page, jar: jar, csrf: "forged")
            #expect(forged.errorCode == "auth.csrf_invalid")
            #expect(try await server.runtime.storage.sessions.count() == 0)
            #expect(try await submit(client, page: page, jar: jar).text.contains("SAMLResponse"))
        }
    }

    @Test func aFlowCannotBeContinuedFromAnotherBrowser() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            let other = try await submit(client, page: page, jar: CookieJar())
            #expect(other.errorCode == "auth.flow_not_yours")
        }
    }

    @Test func anExpiredFlowIsRefused() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            server.clock.advance(by: 601)
            #expect(try await submit(client, page: page, jar: jar).errorCode == "auth.flow_expired")
        }
    }

    /// Under an https base URL only the `__Host-` cookie is the session: the same token
    /// under the plain name — what a sibling subdomain or a plain-http page could plant —
    /// signs nobody in.
    @Test func aSessionTokenUnderThePlainCookieNameIsIgnoredUnderHTTPS() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            jar.take(try await submit(client, page: page, jar: jar))
            let token = try #require(jar.cookies["__Host-ih_session"])
            /// Where a new AuthnRequest with these cookies lands: the login page, or not.
            func landsOnLoginPage(_ jar: CookieJar) async throws -> Bool {
                var cookies = jar
                let start = try await client.execute(uri: try server.redirectRequestURI(), method: .get, headers: cookies.header)
                cookies.take(start)
                let location = try #require(start.headers[.location], "a new AuthnRequest is answered with a redirect")
                let landing = try await client.execute(uri: location, method: .get, headers: cookies.header)
                return landing.text.contains("<meta name=\"ih-page\" content=\"login\">")
            }
            var tossed = CookieJar()
            tossed.cookies["ih_session"] = token
            tossed.cookies["ih_browser"] = jar.cookies["__Host-ih_browser"]
            #expect(try await landsOnLoginPage(tossed), "the plain-named cookie is not the session")
            // The same token under its own name still is.
            #expect(try await !landsOnLoginPage(jar), "the session signs the person in")
        }
    }

    @Test func theSessionTokenIsNewAtEveryLogin() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            jar.cookies["__Host-ih_session"] = "planted-by-an-attacker"
            let page = try await startFlow(client, server: server, jar: &jar)
            let result = try await submit(client, page: page, jar: jar)
            jar.take(result)
            let first = try #require(jar.cookies["__Host-ih_session"])
            #expect(first != "planted-by-an-attacker")
            let forced = try await client.execute(uri: try server.redirectRequestURI(), method: .get, headers: jar.header)
            #expect(forced.status == .found)
        }
    }

    @Test func theFifthFailedAttemptEndsTheFlowWithAnAuthnFailedResponse() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            for _ in 1..<5 {
                #expect(try await submit(client, page: page, jar: jar, password: "nope").text.contains("ih-page\" content=\"login"))
            }
            let fifth = try await submit(client, page: page, jar: jar, password: "nope")
            let encoded = try #require(fifth.field("SAMLResponse"))
            let xml = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
            #expect(xml.contains("urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"))
            #expect(try await server.flowCount() == 0)
            // The right password no longer helps: the flow is gone.
            #expect(try await submit(client, page: page, jar: jar).errorCode == "auth.flow_expired")
        }
    }

    @Test func aLockedUserIsNotLoggedInFromAnEarlierSession() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            jar.take(try await submit(client, page: page, jar: jar))
            try await server.runtime.storage.users.update(id: "u-alice") { old in
                var new = old
                new.locked = true
                return new
            }
            let again = try await startFlow(client, server: server, jar: &jar)
            #expect(again.text.contains("ih-page\" content=\"login"))
        }
    }

    @Test func loggingInAgainEndsTheBrowsersPreviousSession() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            jar.take(try await submit(client, page: try await startFlow(client, server: server, jar: &jar), jar: jar))
            #expect(try await server.runtime.storage.sessions.count() == 1)
            // A second, forced login (a new flow with the same browser) replaces the session.
            let forced = try AuthnRequestURI.forced(server)
            let start = try await client.execute(uri: forced, method: .get, headers: jar.header)
            jar.take(start)
            let page = try await client.execute(uri: try #require(start.headers[.location]), method: .get, headers: jar.header)
            jar.take(try await submit(client, page: page, jar: jar))
            #expect(try await server.runtime.storage.sessions.count() == 1)
        }
    }

    @Test func aWrongPasswordAndAnUnknownUserShowTheSameMessage() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            var jar = CookieJar()
            let page = try await startFlow(client, server: server, jar: &jar)
            let wrong = try await submit(client, page: page, jar: jar, password: "nope")
            let unknown = try await client.execute(
                uri: "/commonauth", method: .post, headers: jar.header.merging(formHeaders),
                body: form(["sessionDataKey": page.field("sessionDataKey")!, "csrf": page.field("csrf")!, "username": "mallory", "password": "nope"]))
            let message = { (r: TestResponse) in r.text.components(separatedBy: "data-observe=\"error\">").dropFirst().first?.prefix { $0 != "<" } }
            #expect(message(wrong) != nil)
            #expect(message(wrong) == message(unknown))
        }
    }
}

enum AuthnRequestURI {
    static func forced(_ server: TestServer) throws -> String {
        let request = AuthnRequest(
            id: "_forced", issueInstant: TestServer.start, issuer: "travelocity.com", destination: "https://idp.test/samlsso", forceAuthn: true)
        return "/samlsso?" + (try RedirectBinding.encode(request.tree.serialized(), parameter: "SAMLRequest", relayState: nil))
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var result = self
        for field in other { result.append(field) }
        return result
    }
}
